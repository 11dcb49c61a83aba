package org.kotekanj.correlator;

import java.util.List;

import org.kotekanj.stage.StageLibrary;
import org.kotekanj.stage.StageType;

/** Stages only the correlator's tests use. */
public final class TestStages implements StageLibrary
{
    @Override
    public List<StageType> stages()
    {
        return List.of(StageType.of("ScriptedSampleSource", "test: sample frames with scripted losses",
            ScriptedSampleSource::new));
    }
}
