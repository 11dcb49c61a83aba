package org.kotekanj.stages;

import java.util.List;

import org.kotekanj.stage.StageLibrary;
import org.kotekanj.stage.StageType;
import org.kotekanj.stages.receive.FengineReceiver;
import org.kotekanj.stages.util.FrameSink;
import org.kotekanj.stages.util.PatternChecker;
import org.kotekanj.stages.util.PatternGenerator;

/** The stages of the {@code stages} module. */
public final class StagesLibrary implements StageLibrary
{
    @Override
    public List<StageType> stages()
    {
        return List.of(
            StageType.of("FengineReceiver", "poll-mode receive of F-engine packets into [freq][time][input] frames",
                FengineReceiver::new),
            StageType.of("PatternGenerator", "fills frames with a test ramp; paced or as fast as possible",
                PatternGenerator::new),
            StageType.of("PatternChecker", "verifies frames hold the test ramp and counts good/bad frames",
                PatternChecker::new),
            StageType.of("FrameSink", "releases and counts every frame (end of a branch, benchmarks)", FrameSink::new));
    }
}
