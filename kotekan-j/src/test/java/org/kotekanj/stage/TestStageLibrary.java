package org.kotekanj.stage;

import java.util.List;

/** The test-only stages that exercise the runtime, registered for the core module's tests. */
public final class TestStageLibrary implements StageLibrary
{
    @Override
    public List<StageType> stages()
    {
        return List.of(
            StageType.of("SequenceSource", "test: writes sequence numbers", SequenceSource::new),
            StageType.of("SequenceSink", "test: checks sequence numbers", SequenceSink::new),
            StageType.of("FailingStage", "test: throws at a given frame", FailingStage::new),
            StageType.of("ControlledStage", "test: REST endpoints and config updates", ControlledStage::new),
            StageType.of("UncheckedSource", "test: trusts its buffer and values like receive stages",
                UncheckedSource::new));
    }
}
