package org.kotekanj.correlator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.DatasetCreationOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The visibility file against the contract, as h5py, h5dump and our own reader see it. */
class VisibilityFileTest
{
    private static final String DUMP_SCRIPT = """
        import h5py, json, sys
        import numpy as np
        out = {'datasets': {}, 'attrs': {}}
        with h5py.File(sys.argv[1], 'r') as f:
            def visit(name, obj):
                if isinstance(obj, h5py.Dataset):
                    out['datasets'][name] = {'dtype': obj.dtype.str, 'shape': list(obj.shape),
                                             'data': obj[()].tolist()}
            f.visititems(visit)
            for key, value in f.attrs.items():
                dtype = np.asarray(value).dtype.str
                value = value.decode() if isinstance(value, bytes) else np.asarray(value).item()
                out['attrs'][key] = {'dtype': dtype, 'value': value}
        print(json.dumps(out))
        """;
    private static final long FIRST_FPGA = (1L << 47) + 49152;

    @TempDir
    Path directory;

    @Test
    void shouldWriteTheContractNameAndLeaveNoPartialFile() throws IOException
    {
        final Path file = VisibilityFileWriter.write(directory, chunk(true));
        assertEquals(directory.resolve("vis_" + FIRST_FPGA + ".h5"), file);
        try (Stream<Path> files = Files.list(directory))
        {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void shouldReadBackWhatItWrote() throws IOException
    {
        final VisibilityChunk written = chunk(true);
        final VisibilityChunk read = VisibilityFileReader.read(VisibilityFileWriter.write(directory, written));
        assertEquals(written.numInputs(), read.numInputs());
        assertEquals(written.samplesPerIntegration(), read.samplesPerIntegration());
        assertEquals(written.deltaTime(), read.deltaTime());
        assertEquals(written.timeSource(), read.timeSource());
        assertEquals(written.backend(), read.backend());
        assertEquals(written.backendDevice(), read.backendDevice());
        assertEquals(written.softwareVersion(), read.softwareVersion());
        assertArrayEquals(written.freqIds(), read.freqIds());
        assertArrayEquals(written.freqMhz(), read.freqMhz());
        assertArrayEquals(written.timeFpga(), read.timeFpga());
        assertArrayEquals(written.timeCtime(), read.timeCtime());
        assertTrue(Arrays.deepEquals(written.vis(), read.vis()));
        assertTrue(Arrays.deepEquals(written.lostSamples(), read.lostSamples()));
        assertNull(read.tolerance());
    }

    @Test
    void shouldOmitTimeCtimeWithoutATimeReference() throws Exception
    {
        final Path file = VisibilityFileWriter.write(directory, chunk(false));
        assertNull(VisibilityFileReader.read(file).timeCtime());
        ExternalTools.assumeH5py();
        final JsonNode dump = h5py(file);
        assertFalse(dump.get("datasets").has("index_map/time_ctime"));
        assertEquals("NONE", dump.get("attrs").get("time_source").get("value").asText());
    }

    @Test
    void shouldOpenWithH5pyWithEveryDatasetDtypeAndAttributeOfTheContract() throws Exception
    {
        ExternalTools.assumeH5py();
        final VisibilityChunk chunk = chunk(true);
        final JsonNode dump = h5py(VisibilityFileWriter.write(directory, chunk));
        final JsonNode datasets = dump.get("datasets");
        final int nprod = chunk.numProducts();
        final Map<String, String> dtypes = Map.of("vis", "<i8", "lost_samples", "<i8", "index_map/freq_id", "<u4",
            "index_map/freq_mhz", "<f8", "index_map/prod", "<u2", "index_map/time_fpga", "<u8",
            "index_map/time_ctime", "<f8");
        assertEquals(dtypes.keySet(), fieldNames(datasets));
        dtypes.forEach((name, dtype) -> assertEquals(dtype, datasets.get(name).get("dtype").asText(), name));
        assertEquals(List.of(3, 2, nprod, 2), ints(datasets.get("vis").get("shape")));
        assertEquals(List.of(3, 2), ints(datasets.get("lost_samples").get("shape")));
        assertEquals(List.of(nprod, 2), ints(datasets.get("index_map/prod").get("shape")));
        for (int t = 0; t < 3; t++)
        {
            for (int f = 0; f < 2; f++)
            {
                final JsonNode lost = datasets.get("lost_samples").get("data").get(t).get(f);
                assertEquals(chunk.lostSamples()[t][f], lost.asLong());
                for (int p = 0; p < nprod; p++)
                {
                    final JsonNode value = datasets.get("vis").get("data").get(t).get(f).get(p);
                    assertEquals(chunk.vis()[t][f][p][0], value.get(0).asLong());
                    assertEquals(chunk.vis()[t][f][p][1], value.get(1).asLong());
                }
            }
            assertEquals(chunk.timeFpga()[t], datasets.get("index_map/time_fpga").get("data").get(t).asLong());
            assertEquals(chunk.timeCtime()[t], datasets.get("index_map/time_ctime").get("data").get(t).asDouble());
        }
        for (int p = 0; p < nprod; p++)
        {
            final JsonNode pair = datasets.get("index_map/prod").get("data").get(p);
            assertArrayEquals(ProductIndex.inputs(p, chunk.numInputs()), new int[] {pair.get(0).asInt(),
                pair.get(1).asInt()});
        }
        assertEquals(List.of(1023L, 255L), longs(datasets.get("index_map/freq_id").get("data")));
        assertEquals(800.0 - 0.390625 * 255, datasets.get("index_map/freq_mhz").get("data").get(1).asDouble());

        final JsonNode attrs = dump.get("attrs");
        assertEquals("<i8", attrs.get("n_samples_per_integration").get("dtype").asText());
        assertEquals(49152, attrs.get("n_samples_per_integration").get("value").asLong());
        assertEquals("<f8", attrs.get("delta_time").get("dtype").asText());
        assertEquals(49152 * 2.56e-6, attrs.get("delta_time").get("value").asDouble());
        assertEquals(5, attrs.get("ninput").get("value").asLong());
        assertEquals("kotekan-j test", attrs.get("software_version").get("value").asText());
        assertEquals("GPS", attrs.get("time_source").get("value").asText());
        assertEquals("cuda", attrs.get("backend").get("value").asText());
        assertEquals("NVIDIA Test Device", attrs.get("backend_device").get("value").asText());
    }

    @Test
    void shouldOpenWithH5dumpWithTheContractTypes() throws Exception
    {
        ExternalTools.assumeH5dump();
        final Path file = VisibilityFileWriter.write(directory, chunk(true));
        final String header = ExternalTools.run(List.of(ExternalTools.H5DUMP, "-H", file.toString()));
        final Map<String, String> types = datasetTypes(header);
        assertEquals(Map.of("vis", "H5T_STD_I64LE", "lost_samples", "H5T_STD_I64LE", "freq_id", "H5T_STD_U32LE",
            "freq_mhz", "H5T_IEEE_F64LE", "prod", "H5T_STD_U16LE", "time_fpga", "H5T_STD_U64LE", "time_ctime",
            "H5T_IEEE_F64LE"), types);
        for (final String attribute : List.of("n_samples_per_integration", "delta_time", "ninput", "software_version",
            "time_source", "backend", "backend_device"))
        {
            assertTrue(header.contains("ATTRIBUTE \"" + attribute + "\""), "h5dump shows no attribute " + attribute);
        }
        final String timeFpga = ExternalTools.run(List.of(ExternalTools.H5DUMP, "-d", "/index_map/time_fpga",
            file.toString()));
        assertTrue(timeFpga.contains(FIRST_FPGA + ", " + (FIRST_FPGA + 49152)), timeFpga);
    }

    @Test
    void shouldRejectAFileWhoseProductsAreInAnotherOrder() throws IOException
    {
        final Path file = directory.resolve("foreign.h5");
        try (WritableHdfFile hdf = HdfFile.write(file))
        {
            hdf.putAttribute("ninput", 2L);
            hdf.putGroup("index_map").putDataset("prod", new short[][] {{0, 0}, {1, 1}, {0, 1}},
                DatasetCreationOptions.builder().unsigned().build());
        }
        final IOException error = assertThrows(IOException.class, () -> VisibilityFileReader.read(file));
        assertTrue(error.getMessage().contains("index_map/prod[1]"), error.getMessage());
    }

    private static VisibilityChunk chunk(final boolean timeReference)
    {
        final int ninput = 5;
        final int nprod = (int)ProductIndex.count(ninput);
        final Random random = new Random(42);
        final long[][][][] vis = new long[3][2][nprod][2];
        final long[][] lost = new long[3][2];
        for (int t = 0; t < 3; t++)
        {
            for (int f = 0; f < 2; f++)
            {
                lost[t][f] = t * 10 + f;
                for (int p = 0; p < nprod; p++)
                {
                    vis[t][f][p][0] = random.nextLong() >> 8;
                    vis[t][f][p][1] = -random.nextInt();
                }
            }
        }
        final long[] timeFpga = {FIRST_FPGA, FIRST_FPGA + 49152, FIRST_FPGA + 2 * 49152};
        final double[] ctime = timeReference ? new double[] {1.7e9, 1.7e9 + 0.125, 1.7e9 + 0.25} : null;
        return new VisibilityChunk(ninput, 49152, 49152 * 2.56e-6, timeReference ? "GPS" : "NONE",
            timeReference ? "cuda" : "cpu", timeReference ? "NVIDIA Test Device" : "", "kotekan-j test",
            new int[] {1023, 255}, new double[] {800.0 - 0.390625 * 1023, 800.0 - 0.390625 * 255}, timeFpga, ctime, vis,
            lost, null);
    }

    private static JsonNode h5py(final Path file) throws IOException, InterruptedException
    {
        final Path script = Files.writeString(file.resolveSibling("dump.py"), DUMP_SCRIPT);
        final String json = ExternalTools.run(List.of(ExternalTools.PYTHON.toString(), script.toString(),
            file.toString()));
        Files.delete(script);
        return new ObjectMapper().readTree(json);
    }

    /** Dataset name (last path element) to its DATATYPE, from {@code h5dump -H}. */
    private static Map<String, String> datasetTypes(final String header)
    {
        final Matcher matcher = Pattern.compile("DATASET \"([^\"]+)\" \\{\\s*DATATYPE\\s+(\\S+)").matcher(header);
        final TreeMap<String, String> types = new TreeMap<>();
        while (matcher.find())
        {
            types.put(matcher.group(1), matcher.group(2));
        }
        return types;
    }

    private static Set<String> fieldNames(final JsonNode node)
    {
        final Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<Integer> ints(final JsonNode array)
    {
        final List<Integer> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asInt()));
        return values;
    }

    private static List<Long> longs(final JsonNode array)
    {
        final List<Long> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asLong()));
        return values;
    }
}
