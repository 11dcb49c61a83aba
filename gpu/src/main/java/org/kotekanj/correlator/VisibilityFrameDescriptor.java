package org.kotekanj.correlator;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * Layout of one integrated visibility frame in a frame buffer: what the {@code Correlator} stage produces and the
 * {@code VisibilityWriter} (and any other consumer: a network sender, the dashboard) reads. Header, axes and sums
 * travel in the frame itself, so a consumer needs nothing else; all values are native byte order.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  First sample of the integration (seq)        |  0
 *  +---------------------------------------------------------------+
 *  |                  Samples per integration                      |  8
 *  +---------------------------------------------------------------+
 *  |  Frequencies                 |  Inputs (real)                 | 16
 *  +---------------------------------------------------------------+
 *  |                  Products N(N+1)/2                            | 24
 *  +---------------------------------------------------------------+
 *  |  Freq ids offset             |  Lost samples offset           | 32
 *  |  Visibilities offset         |  Frame flags (OR of inputs')   | 40
 *  +---------------------------------------------------------------+
 *  |                  Integration number (0, 1, ... per run)       | 48
 *  +---------------------------------------------------------------+
 *  |  Backend (0 cpu, 1 cuda)     |  reserved                      | 56
 *  +---------------------------------------------------------------+
 *  |  Device name, ASCII, NUL-padded (64 bytes)                   ... 64
 *  +---------------------------------------------------------------+
 *  |  freq_id[frequencies]                  int32 each, 8-aligned ...
 *  |  lost_samples[frequencies]             int64 each         ...
 *  |  vis[frequencies][products][re, im]    int64 each, 64-aligned ...
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * {@code lost_samples[f]} counts the time samples of the integration for which any input of frequency {@code f} was
 * missing (filled with zeros, so they add nothing); products are in the order of {@link ProductIndex}. Frame flags
 * are those of {@code FrameMetadataDescriptor} (reset, back-pressure) of every sample frame that contributed.
 */
public final class VisibilityFrameDescriptor
{
    public static final int FIRST_SAMPLE_OFFSET = 0;
    public static final int SAMPLES_PER_INTEGRATION_OFFSET = 8;
    public static final int NUM_FREQ_OFFSET = 16;
    public static final int NUM_INPUTS_OFFSET = 20;
    public static final int NUM_PRODUCTS_OFFSET = 24;
    public static final int FREQ_IDS_OFFSET_OFFSET = 32;
    public static final int LOST_SAMPLES_OFFSET_OFFSET = 36;
    public static final int VISIBILITIES_OFFSET_OFFSET = 40;
    public static final int FLAGS_OFFSET = 44;
    public static final int INTEGRATION_OFFSET = 48;
    public static final int BACKEND_OFFSET = 56;
    public static final int DEVICE_OFFSET = 64;
    public static final int DEVICE_LENGTH = 64;
    public static final int HEADER_LENGTH = 128;
    /** Backend codes: the {@code backend} attribute of files is {@code BACKENDS[code]}. */
    public static final String[] BACKENDS = {"cpu", "cuda"};
    /** Sums start on a cache line, so vector loads and DMA are aligned within the (page-aligned) frame. */
    public static final int VISIBILITIES_ALIGNMENT = 64;

    private VisibilityFrameDescriptor()
    {
    }

    public static int freqIdsOffset()
    {
        return HEADER_LENGTH;
    }

    public static int lostSamplesOffset(final int numFreq)
    {
        return (freqIdsOffset() + 4 * numFreq + 7) & ~7;
    }

    public static long visibilitiesOffset(final int numFreq)
    {
        return ((long)lostSamplesOffset(numFreq) + 8L * numFreq + VISIBILITIES_ALIGNMENT - 1) &
            ~(VISIBILITIES_ALIGNMENT - 1);
    }

    /** Bytes of one frame of this shape: what {@code frame_size} of the visibility buffer must be (at least). */
    public static long length(final int numFreq, final int numInputs)
    {
        return visibilitiesOffset(numFreq) + (long)numFreq * ProductIndex.count(numInputs) * 2 * Long.BYTES;
    }

    /** Writes the shape fields and offsets of a frame (cheap: done for every frame the stage claims). */
    public static void initialise(final MemorySegment frame, final int numFreq, final int numInputs,
        final long samplesPerIntegration)
    {
        frame.set(JAVA_LONG_UNALIGNED, SAMPLES_PER_INTEGRATION_OFFSET, samplesPerIntegration);
        frame.set(JAVA_INT_UNALIGNED, NUM_FREQ_OFFSET, numFreq);
        frame.set(JAVA_INT_UNALIGNED, NUM_INPUTS_OFFSET, numInputs);
        frame.set(JAVA_LONG_UNALIGNED, NUM_PRODUCTS_OFFSET, ProductIndex.count(numInputs));
        frame.set(JAVA_INT_UNALIGNED, FREQ_IDS_OFFSET_OFFSET, freqIdsOffset());
        frame.set(JAVA_INT_UNALIGNED, LOST_SAMPLES_OFFSET_OFFSET, lostSamplesOffset(numFreq));
        frame.set(JAVA_INT_UNALIGNED, VISIBILITIES_OFFSET_OFFSET, (int)visibilitiesOffset(numFreq));
        frame.set(JAVA_INT_UNALIGNED, FLAGS_OFFSET, 0);
    }

    /** Says which backend and device computed the sums (for the files' {@code backend} attributes). */
    public static void backend(final MemorySegment frame, final String backend, final byte[] device)
    {
        frame.set(JAVA_INT_UNALIGNED, BACKEND_OFFSET, "cuda".equals(backend) ? 1 : 0);
        final MemorySegment name = frame.asSlice(DEVICE_OFFSET, DEVICE_LENGTH);
        name.fill((byte)0);
        MemorySegment.copy(device, 0, name, JAVA_BYTE, 0, Math.min(device.length, DEVICE_LENGTH - 1));
    }

    public static String backend(final MemorySegment frame)
    {
        final int code = frame.get(JAVA_INT_UNALIGNED, BACKEND_OFFSET);
        return code == 1 ? BACKENDS[1] : BACKENDS[0];
    }

    public static String device(final MemorySegment frame)
    {
        final byte[] bytes = frame.asSlice(DEVICE_OFFSET, DEVICE_LENGTH).toArray(JAVA_BYTE);
        int length = 0;
        while (length < bytes.length && bytes[length] != 0)
        {
            length++;
        }
        return new String(bytes, 0, length, java.nio.charset.StandardCharsets.US_ASCII);
    }

    public static long firstSample(final MemorySegment frame)
    {
        return frame.get(JAVA_LONG_UNALIGNED, FIRST_SAMPLE_OFFSET);
    }

    public static void firstSample(final MemorySegment frame, final long seq)
    {
        frame.set(JAVA_LONG_UNALIGNED, FIRST_SAMPLE_OFFSET, seq);
    }

    public static long samplesPerIntegration(final MemorySegment frame)
    {
        return frame.get(JAVA_LONG_UNALIGNED, SAMPLES_PER_INTEGRATION_OFFSET);
    }

    public static int numFreq(final MemorySegment frame)
    {
        return frame.get(JAVA_INT_UNALIGNED, NUM_FREQ_OFFSET);
    }

    public static int numInputs(final MemorySegment frame)
    {
        return frame.get(JAVA_INT_UNALIGNED, NUM_INPUTS_OFFSET);
    }

    public static long numProducts(final MemorySegment frame)
    {
        return frame.get(JAVA_LONG_UNALIGNED, NUM_PRODUCTS_OFFSET);
    }

    public static int flags(final MemorySegment frame)
    {
        return frame.get(JAVA_INT_UNALIGNED, FLAGS_OFFSET);
    }

    public static void flags(final MemorySegment frame, final int flags)
    {
        frame.set(JAVA_INT_UNALIGNED, FLAGS_OFFSET, flags);
    }

    public static long integration(final MemorySegment frame)
    {
        return frame.get(JAVA_LONG_UNALIGNED, INTEGRATION_OFFSET);
    }

    public static void integration(final MemorySegment frame, final long number)
    {
        frame.set(JAVA_LONG_UNALIGNED, INTEGRATION_OFFSET, number);
    }

    public static int freqId(final MemorySegment frame, final int freq)
    {
        return frame.get(JAVA_INT_UNALIGNED, frame.get(JAVA_INT_UNALIGNED, FREQ_IDS_OFFSET_OFFSET) + 4L * freq);
    }

    public static void freqId(final MemorySegment frame, final int freq, final int freqId)
    {
        frame.set(JAVA_INT_UNALIGNED, frame.get(JAVA_INT_UNALIGNED, FREQ_IDS_OFFSET_OFFSET) + 4L * freq, freqId);
    }

    public static long lostSamples(final MemorySegment frame, final int freq)
    {
        return frame.get(JAVA_LONG_UNALIGNED, frame.get(JAVA_INT_UNALIGNED, LOST_SAMPLES_OFFSET_OFFSET) + 8L * freq);
    }

    public static void lostSamples(final MemorySegment frame, final int freq, final long samples)
    {
        frame.set(JAVA_LONG_UNALIGNED, frame.get(JAVA_INT_UNALIGNED, LOST_SAMPLES_OFFSET_OFFSET) + 8L * freq,
            samples);
    }

    /** The int64 {@code [freq][prod][re, im]} sums: what {@link CorrelatorBackend#beginIntegration} fills. */
    public static MemorySegment visibilities(final MemorySegment frame)
    {
        return frame.asSlice(frame.get(JAVA_INT_UNALIGNED, VISIBILITIES_OFFSET_OFFSET),
            (long)numFreq(frame) * numProducts(frame) * 2 * Long.BYTES);
    }

    /** Byte offset within {@link #visibilities} of the real part of product {@code prod} of frequency {@code freq}. */
    public static long visibilityOffset(final long numProducts, final int freq, final long prod)
    {
        return ((long)freq * numProducts + prod) * 2 * Long.BYTES;
    }
}
