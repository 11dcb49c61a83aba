package org.kotekanj.stage;

import java.util.List;

/**
 * A module's stages, discovered with {@link java.util.ServiceLoader} (listed in
 * {@code META-INF/services/org.kotekanj.stage.StageLibrary}). Adding a stage is one class plus one line here.
 */
public interface StageLibrary
{
    List<StageType> stages();
}
