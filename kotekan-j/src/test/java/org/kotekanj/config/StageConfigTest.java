package org.kotekanj.config;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StageConfigTest
{
    private enum Mode
    {
        FAST_SPIN, SLOW
    }

    private final ConfigErrors errors = new ConfigErrors();

    private StageConfig config(final String yaml, final String path)
    {
        final ConfigNode root = YamlConfigLoader.parse(yaml, "stage.yaml", errors);
        assertTrue(errors.isEmpty(), errors.list().toString());
        return new StageConfig(root.find(path), errors);
    }

    private List<String> errorTexts()
    {
        return errors.list().stream().map(ConfigError::toString).toList();
    }

    @Test
    void shouldReadTypedValuesFromTheNodeAndItsAncestors()
    {
        final StageConfig stage = config("""
            num_elements: 2048
            gain: 1.5
            name: cx
            gpu:
              recv:
                enabled: false
                mode: fast-spin
                buffers: [a, b]
                one_buffer: a
                cpus: [0, 2 * 2]
            """, "gpu/recv");
        assertEquals(2048, stage.getInt("num_elements"));
        assertEquals(2048L, stage.getLong("num_elements"));
        assertEquals(1.5, stage.getDouble("gain"));
        assertEquals(2048.0, stage.getDouble("num_elements"));
        assertEquals("cx", stage.getString("name"));
        assertEquals("2048", stage.getString("num_elements"));
        assertEquals(false, stage.getBoolean("enabled", true));
        assertEquals(Mode.FAST_SPIN, stage.getEnum("mode", Mode.class, Mode.SLOW));
        assertEquals(List.of("a", "b"), stage.getStringList("buffers"));
        assertEquals(List.of("a"), stage.getStringList("one_buffer"));
        assertArrayEquals(new int[] {0, 4}, stage.getIntArray("cpus", null));
        assertEquals(7, stage.getInt("missing", 7));
        assertEquals("fallback", stage.getString("missing", "fallback"));
        assertTrue(errors.isEmpty(), errorTexts().toString());
    }

    @Test
    void shouldSayWhereAValueWasReadFrom()
    {
        final StageConfig stage = config("""
            num_elements: 2048
            gpu:
              recv:
                port: 10001
            """, "gpu/recv");
        final ConfigValue inherited = stage.origin("num_elements");
        assertEquals("/num_elements", inherited.path());
        assertEquals(1, inherited.line());
        assertEquals("stage.yaml", inherited.node().file());
        assertEquals("/gpu/recv/port (line 4)", stage.origin("port").location());
        assertNull(stage.origin("absent"));
    }

    @Test
    void shouldEvaluateExpressionsOverEveryAncestorsValues()
    {
        final StageConfig stage = config("""
            num_elements: 2048
            samples_per_data_set: 32768
            frame_size: samples_per_data_set * num_elements
            gpu:
              num_local_freq: 4
              recv:
                buffer_bytes: frame_size * num_local_freq + 64
                half: num_elements / 2
            """, "gpu/recv");
        assertEquals(2048L * 32768 * 4 + 64, stage.getLong("buffer_bytes"));
        assertEquals(1024, stage.getInt("half"));
        assertTrue(errors.isEmpty(), errorTexts().toString());
    }

    @Test
    void shouldLetAValueReferToTheSameNameOnItsParents()
    {
        final StageConfig stage = config("""
            n: 3
            a:
              n: n * 2
              b:
                n: n + 1
                m: n * 10
            """, "a/b");
        assertEquals(7, stage.getInt("n"));
        assertEquals(70, stage.getInt("m"));
        assertEquals(6, new StageConfig(stage.node().parent(), errors).getInt("n"));
        assertTrue(errors.isEmpty(), errorTexts().toString());
    }

    @Test
    void shouldResolveNamesFromTheReadingStageSoAStageCanOverrideAnInput()
    {
        final StageConfig stage = config("""
            num_elements: 16
            frame_size: num_elements * 2
            small:
              num_elements: 4
            """, "small");
        assertEquals(8, stage.getInt("frame_size"));
    }

    @Test
    void shouldReportCyclesWithPathAndLine()
    {
        final StageConfig stage = config("""
            a: b + 1
            s:
              b: a * 2
              n: n * 2
            """, "s");
        stage.getLong("a");
        stage.getLong("n");
        assertEquals(List.of(
            "stage.yaml:1: /a: expected an integer, found string \"b + 1\": 'a' is defined in terms of itself",
            "stage.yaml:4: /s/n: expected an integer, found string \"n * 2\": 'n' is defined in terms of itself"),
            errorTexts());
    }

    @Test
    void shouldReportUnknownNamesOverflowAndDivisionByZeroWithPathAndLine()
    {
        final StageConfig stage = config("""
            big: 4611686018427387904
            s:
              unknown: num_inputs * 2
              overflow: big * 2
              zero: 10 / (big - big)
              inexact: 7 / 2
            """, "s");
        assertEquals(0, stage.getLong("unknown"));
        stage.getLong("overflow");
        stage.getLong("zero");
        stage.getLong("inexact");
        assertEquals(List.of(
            "stage.yaml:3: /s/unknown: expected an integer, found string \"num_inputs * 2\": no value named " +
                "'num_inputs' is set on /s or above",
            "stage.yaml:4: /s/overflow: expected an integer, found string \"big * 2\": integer overflow in " +
                "expression \"big * 2\"",
            "stage.yaml:5: /s/zero: expected an integer, found string \"10 / (big - big)\": division by zero in " +
                "expression \"10 / (big - big)\"",
            "stage.yaml:6: /s/inexact: expected an integer, found \"7 / 2\" = 3.5"), errorTexts());
        assertEquals(3.5, stage.getDouble("inexact"));
    }

    @Test
    void shouldReportTypeErrorsAndMissingValuesWithPathAndLine()
    {
        final StageConfig stage = config("""
            s:
              count: [1, 2]
              flag: 1
              name: [x]
              mode: medium
              wide: 4294967296
              names: 5
              cpus: [0, x]
            """, "s");
        stage.getInt("count");
        stage.getBoolean("flag", false);
        stage.getString("name");
        stage.getEnum("mode", Mode.class, Mode.SLOW);
        stage.getInt("wide");
        stage.getStringList("names");
        stage.getLongArray("cpus", null);
        stage.getLong("required");
        assertEquals(List.of(
            "stage.yaml:1: /s: missing 'required' (an integer): set it here or on a node above",
            "stage.yaml:2: /s/count: expected an integer, found list",
            "stage.yaml:3: /s/flag: expected true or false, found integer 1",
            "stage.yaml:4: /s/name: expected a string, found list",
            "stage.yaml:5: /s/mode: expected one of fast_spin, slow, found string \"medium\"",
            "stage.yaml:6: /s/wide: value 4294967296 does not fit in 32 bits",
            "stage.yaml:7: /s/names: expected a string or a list of strings, found integer 5",
            "stage.yaml:8: /s/cpus[1]: expected an integer, found string \"x\": no value named 'x' is set on /s or " +
                "above"), errorTexts());
    }

    @Test
    void shouldListKeysThatNothingRead()
    {
        final StageConfig stage = config("""
            shared: 1
            s:
              kotekan_stage: X
              used: 1
              typo_key: 2
              nested:
                inner_used: 1
                inner_typo: 2
              untouched:
                x: 1
            """, "s");
        stage.getInt("used");
        stage.getInt("shared");
        stage.child("nested").getInt("inner_used");
        final List<String> unread = stage.unreadKeys(Set.of(ConfigNode.STAGE)).stream().map(ConfigValue::path).toList();
        assertEquals(List.of("/s/typo_key", "/s/untouched", "/s/nested/inner_typo"), unread);
    }
}
