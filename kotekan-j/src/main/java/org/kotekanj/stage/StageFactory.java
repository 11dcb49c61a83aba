package org.kotekanj.stage;

/** Builds a stage from its context (normally a constructor reference, {@code MyStage::new}). */
@FunctionalInterface
public interface StageFactory
{
    Stage create(StageContext context) throws Exception;
}
