package org.kotekanj.correlator;

import java.util.List;

import org.kotekanj.stage.StageLibrary;
import org.kotekanj.stage.StageType;

/** The correlator module's stages. */
public final class CorrelatorStageLibrary implements StageLibrary
{
    @Override
    public List<StageType> stages()
    {
        return List.of(
            StageType.of("Correlator", "sums sample frames into integrated visibilities (backend cpu, cuda or " +
                "auto), counting lost samples per integration and frequency", Correlator::new),
            StageType.of("VisibilityWriter", "writes integrated visibility frames to HDF5 files of the output " +
                "contract (.partial, then renamed)", VisibilityWriter::new));
    }
}
