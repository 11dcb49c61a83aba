package org.kotekanj.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class YamlConfigLoaderTest
{
    private final ConfigErrors errors = new ConfigErrors();

    private ConfigNode parse(final String yaml)
    {
        return YamlConfigLoader.parse(yaml, "test.yaml", errors);
    }

    private List<String> errorTexts()
    {
        return errors.list().stream().map(ConfigError::toString).toList();
    }

    @Test
    void shouldReadScalarsListsAndNestedMapsWithTheirLines()
    {
        final ConfigNode root = parse("""
            num_elements: 2048
            gain: 0.5
            enabled: true
            label: hello
            nothing: null
            hex: 0x10
            cpus: [0, 1]
            gpu:
              recv_0:
                port: 10001
            """);
        assertTrue(errors.isEmpty(), errorTexts().toString());
        assertEquals(2048L, root.own("num_elements").raw());
        assertEquals(0.5, root.own("gain").raw());
        assertEquals(Boolean.TRUE, root.own("enabled").raw());
        assertEquals("hello", root.own("label").raw());
        assertNull(root.own("nothing").raw());
        assertEquals(16L, root.own("hex").raw());
        assertEquals(List.of(0L, 1L), root.own("cpus").raw());
        final ConfigValue port = root.find("/gpu/recv_0").own("port");
        assertEquals(10001L, port.raw());
        assertEquals(10, port.line());
        assertEquals("/gpu/recv_0/port", port.path());
        assertEquals("/gpu/recv_0/port (line 10)", port.location());
        assertEquals(1, root.own("num_elements").line());
    }

    @Test
    void shouldLocateANodeAtTheLineThatNamesIt()
    {
        final ConfigNode root = parse("""
            # comment

            gpu:
              recv_0:

                kotekan_stage: Receiver
            inline: {kotekan_buffer: standard}
            """);
        assertTrue(errors.isEmpty(), errorTexts().toString());
        assertEquals(3, root.child("gpu").line());
        assertEquals(4, root.find("gpu/recv_0").line());
        assertEquals(7, root.child("inline").line());
    }

    @Test
    void shouldRecogniseKotekanDeclarationsAnywhereInTheTree()
    {
        final ConfigNode root = parse("""
            pool:
              kotekan_metadata_pool: chimeMetadata
            site:
              rack:
                node:
                  buf:
                    kotekan_buffer: standard
                  stage:
                    kotekan_stage: PatternGenerator
                  gains:
                    kotekan_update_endpoint: json
                    gain: 1.0
            """);
        assertTrue(errors.isEmpty(), errorTexts().toString());
        assertEquals(ConfigNode.METADATA_POOL, root.child("pool").kind());
        assertEquals(ConfigNode.BUFFER, root.find("site/rack/node/buf").kind());
        assertEquals(ConfigNode.STAGE, root.find("site/rack/node/stage").kind());
        assertEquals(ConfigNode.UPDATE_ENDPOINT, root.find("site/rack/node/gains").kind());
        assertNull(root.find("site/rack/node").kind());
    }

    @Test
    void shouldResolveAnchorsAliasesAndMergeKeysWithExplicitKeysWinning()
    {
        final ConfigNode root = parse("""
            defaults: &defaults
              num_frames: 4
              frame_size: 1024
              tuning:
                spin: true
            ports: &ports [10001, 10002]
            buf_a:
              <<: *defaults
              kotekan_buffer: standard
              frame_size: 2048
            buf_b:
              <<: [*defaults]
              kotekan_buffer: standard
            recv:
              listen: *ports
              copy: *defaults
            """);
        assertTrue(errors.isEmpty(), errorTexts().toString());
        final ConfigNode a = root.child("buf_a");
        assertEquals(4L, a.own("num_frames").raw());
        assertEquals(2048L, a.own("frame_size").raw(), "an explicit key wins over a merged one");
        assertEquals(Boolean.TRUE, a.find("tuning").own("spin").raw(), "merged nested maps become child nodes");
        assertEquals(ConfigNode.BUFFER, a.kind());
        assertEquals(1024L, root.child("buf_b").own("frame_size").raw());
        assertEquals(List.of(10001L, 10002L), root.child("recv").own("listen").raw());
        assertEquals(4L, root.find("recv/copy").own("num_frames").raw());
        assertEquals("/recv/copy/num_frames", root.find("recv/copy").own("num_frames").path());
    }

    @Test
    void shouldRefuseAPythonObjectTagBeforeBuildingAnything()
    {
        final ConfigNode root = parse("""
            ok: 1
            code: !!python/object/apply:os.system ["echo pwned"]
            """);
        assertEquals(List.of("test.yaml:2: /: YAML syntax: Global tag is not allowed: " +
            "tag:yaml.org,2002:python/object/apply:os.system"), errorTexts());
        assertNull(root.own("code"));
    }

    @Test
    void shouldRejectNonCoreTagsOnScalarsMapsAndLists()
    {
        parse("""
            ok: !!int "12"
            custom: !mine 3
            blob: !!binary aGVsbG8=
            obj: !mine {a: 1}
            set: !!set {a, b}
            seq: !mine [1, 2]
            pairs: !!omap [a: 1]
            items:
              - !mine {a: 1}
            """);
        final String notAllowed = " is not allowed in a pipeline config (only plain scalars, lists and maps)";
        assertEquals(List.of(
            "test.yaml:2: /custom: tag !mine" + notAllowed,
            "test.yaml:3: /blob: tag tag:yaml.org,2002:binary" + notAllowed,
            "test.yaml:4: /obj: tag !mine" + notAllowed,
            "test.yaml:5: /set: tag tag:yaml.org,2002:set" + notAllowed,
            "test.yaml:6: /seq: tag !mine" + notAllowed,
            "test.yaml:7: /pairs: tag tag:yaml.org,2002:omap" + notAllowed,
            "test.yaml:9: /items[0]: tag !mine" + notAllowed), errorTexts());
    }

    @Test
    void shouldReadAnUntaggedDateAsAString()
    {
        final ConfigNode root = parse("observation_date: 2024-05-01\n");
        assertTrue(errors.isEmpty(), errorTexts().toString());
        assertEquals("2024-05-01", root.own("observation_date").raw());
    }

    @Test
    void shouldReportSyntaxErrorsDuplicateKeysAndExtraDocumentsWithLines()
    {
        parse("""
            a: 1
            b: [1, 2
            c: 3
            """);
        assertEquals(1, errors.size());
        final ConfigError syntax = errors.list().get(0);
        assertTrue(syntax.message().startsWith("YAML syntax: "), syntax.toString());
        assertEquals(3, syntax.line());

        final ConfigErrors duplicates = new ConfigErrors();
        YamlConfigLoader.parse("a: 1\nb: 2\na: 3\n", "dup.yaml", duplicates);
        assertEquals(List.of(new ConfigError("dup.yaml", 3, "/a", "duplicate key 'a' (first set at line 1)")),
            duplicates.list());

        final ConfigErrors documents = new ConfigErrors();
        YamlConfigLoader.parse("a: 1\n---\nb: 2\n", "docs.yaml", documents);
        assertEquals(List.of(new ConfigError("docs.yaml", 3, "/", "a pipeline config is one YAML document; found 2")),
            documents.list());
    }

    @Test
    void shouldRejectAnEmptyConfigOrOneThatIsNotAMap()
    {
        parse("");
        parse("- a\n- b\n");
        assertEquals(List.of("test.yaml:1: /: the config is empty",
            "test.yaml:1: /: the top of a pipeline config must be a map"), errorTexts());
    }

    @Test
    void shouldKeepMapsInsideListsAsNodesUnderTheirOwner()
    {
        final ConfigNode root = parse("""
            stage:
              streams:
                - {port: 1, crate: 0}
                - port: 2
                  crate: 1
            """);
        assertTrue(errors.isEmpty(), errorTexts().toString());
        final List<?> streams = (List<?>)root.child("stage").own("streams").raw();
        final ConfigNode second = (ConfigNode)streams.get(1);
        assertEquals(2L, second.own("port").raw());
        assertEquals("/stage/streams[1]", second.path());
        assertSame(root.child("stage"), second.parent());
        assertEquals(4, second.line());
    }

    @Test
    void shouldLoadAFileAndReportOneThatCannotBeRead(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("p.yaml");
        Files.writeString(file, "x: 1\n");
        assertEquals(1L, YamlConfigLoader.load(file, errors).own("x").raw());
        YamlConfigLoader.load(dir.resolve("missing.yaml"), errors);
        YamlConfigLoader.load(dir, errors);
        assertEquals(List.of(dir.resolve("missing.yaml") + ": /: no such config file",
            dir + ": /: is a directory, not a config file"), errorTexts());
    }

    @Test
    void shouldStopExpandingAliasBombsAtTheBoundWithTheLineOfTheAlias()
    {
        // Before the bound these ran for minutes into an OutOfMemoryError; the deadline only keeps a failure short.
        for (final String bomb : List.of(HostileConfigs.LIST_ALIAS_BOMB, HostileConfigs.MAP_ALIAS_BOMB,
            HostileConfigs.MERGE_BOMB))
        {
            final ConfigErrors bombErrors = new ConfigErrors();
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> YamlConfigLoader.parse(bomb, "bomb.yaml",
                bombErrors));
            assertEquals(1, bombErrors.size(), bombErrors.list().toString());
            final ConfigError error = bombErrors.list().get(0);
            assertEquals("bomb.yaml", error.file());
            assertTrue(error.line() >= 2 && error.line() <= 9, error.toString());
            assertEquals("the config expands to more than " + YamlConfigLoader.MAX_EXPANDED_NODES +
                " values through its aliases and merges (an alias bomb?); not read further", error.message());
        }
    }

    @Test
    void shouldStillExpandModestAliasUse()
    {
        final ConfigNode root = parse("""
            base: &base {num_frames: 4, cpus: &cpus [0, 1, 2, 3]}
            s1: {<<: *base, cpus: *cpus}
            s2: {<<: *base}
            many: [*cpus, *cpus, *cpus, *cpus, *cpus, *cpus, *cpus, *cpus]
            """);
        assertTrue(errors.isEmpty(), errorTexts().toString());
        assertEquals(4L, root.child("s2").own("num_frames").raw());
        assertEquals(8, ((List<?>)root.own("many").raw()).size());
    }
}
