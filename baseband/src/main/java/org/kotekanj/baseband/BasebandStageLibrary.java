package org.kotekanj.baseband;

import java.util.List;

import org.kotekanj.stage.StageLibrary;
import org.kotekanj.stage.StageType;

/** The stages of the baseband module. */
public final class BasebandStageLibrary implements StageLibrary
{
    @Override
    public List<StageType> stages()
    {
        return List.of(StageType.of("BasebandReadout", "keeps the receive frames as the baseband ring and dumps " +
            "triggered, dispersion-shifted windows to HDF5 (POST /baseband)", BasebandReadout::new));
    }
}
