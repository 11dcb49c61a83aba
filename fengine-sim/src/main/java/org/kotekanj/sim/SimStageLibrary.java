package org.kotekanj.sim;

import java.util.List;

import org.kotekanj.sim.check.SampleFrameChecker;
import org.kotekanj.stage.StageLibrary;
import org.kotekanj.stage.StageType;

/** The stages of the simulator module. */
public final class SimStageLibrary implements StageLibrary
{
    @Override
    public List<StageType> stages()
    {
        return List.of(
            StageType.of("FengineSimulator", "sends simulated F-engine packets (or a pcap file) with impairments " +
                "and a ground-truth log", FengineSimulator::new),
            StageType.of("SampleFrameChecker", "verifies every byte of received sample frames against the simulator's" +
                " signal, lost cells and padding included", SampleFrameChecker::new));
    }
}
