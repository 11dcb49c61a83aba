package org.kotekanj.fengine;

import java.util.Locale;

import org.kotekanj.config.StageConfig;

/**
 * The shape of F-engine packets: samples, frequencies and inputs per packet, footer, flag word, sample period and
 * frequency scale. Named profiles ({@code chime}, {@code single-board}, {@code generic}) give the defaults; any key
 * can be overridden in the config.
 */
public record PacketGeometry(String profile, int samplesPerPacket, int freqsPerPacket, int inputsPerPacket,
    int footerBytes, boolean flagWord, int flagRejectMask, long samplePeriodNs, double freqTopMhz, double freqStepMhz)
{
    public static final String CHIME = "chime";
    public static final String SINGLE_BOARD = "single-board";
    public static final String GENERIC = "generic";
    /** Largest UDP payload over IPv4. */
    public static final int MAX_DATAGRAM = 65_507;

    /** CHIME's GPU-node profile: S=2, F_p=4, N_p=512, 774-byte footer (4886-byte datagrams). */
    public static PacketGeometry chime()
    {
        return new PacketGeometry(CHIME, 2, 4, 512, 774, true, PacketHeaderDescriptor.DEFAULT_FLAG_REJECT_MASK, 2560,
            800.0, -0.390625);
    }

    /** One 16-input board as on CHIME's test stands: S=2, F_p=128, N_p=16, 526-byte footer (4638-byte datagrams). */
    public static PacketGeometry singleBoard()
    {
        return new PacketGeometry(SINGLE_BOARD, 2, 128, 16, 526, true, PacketHeaderDescriptor.DEFAULT_FLAG_REJECT_MASK,
            2560, 800.0, -0.390625);
    }

    public static PacketGeometry profile(final String name)
    {
        return switch (name.toLowerCase(Locale.ROOT))
        {
            case CHIME -> chime();
            case SINGLE_BOARD -> singleBoard();
            case GENERIC -> new PacketGeometry(GENERIC, 1, 1, 1, 0, false,
                PacketHeaderDescriptor.DEFAULT_FLAG_REJECT_MASK, 2560, 800.0, -0.390625);
            default -> null;
        };
    }

    /**
     * Reads {@code profile} and any overrides from a stage's config, recording errors (unknown profile, sizes that
     * do not fit a datagram, a flag word outside the footer).
     */
    public static PacketGeometry read(final StageConfig config)
    {
        final String name = config.getString("profile", CHIME);
        PacketGeometry base = profile(name);
        if (base == null)
        {
            config.error("profile", "unknown profile '" + name + "'; known: chime, single-board, generic");
            base = chime();
        }
        final boolean generic = GENERIC.equals(base.profile());
        final int samples = generic ? config.getInt("samples_per_packet") :
            config.getInt("samples_per_packet", base.samplesPerPacket());
        final int freqs = generic ? config.getInt("freqs_per_packet") :
            config.getInt("freqs_per_packet", base.freqsPerPacket());
        final int inputs = generic ? config.getInt("inputs_per_packet") :
            config.getInt("inputs_per_packet", base.inputsPerPacket());
        final int footer = config.getInt("footer_bytes", base.footerBytes());
        final boolean flagWord = config.getBoolean("flag_word", base.flagWord());
        final int rejectMask = (int)config.getLong("flag_reject_mask", base.flagRejectMask() & 0xFFFFFFFFL);
        final long period = config.getLong("sample_period_ns", base.samplePeriodNs());
        final double top = config.getDouble("freq_top_mhz", base.freqTopMhz());
        final double step = config.getDouble("freq_step_mhz", base.freqStepMhz());
        final PacketGeometry geometry = new PacketGeometry(base.profile(), samples, freqs, inputs, footer, flagWord,
            rejectMask, period, top, step);
        geometry.validate(config);
        return geometry;
    }

    private void validate(final StageConfig config)
    {
        if (samplesPerPacket < 1)
        {
            config.error("samples_per_packet", "must be at least 1, found " + samplesPerPacket);
        }
        if (freqsPerPacket < 1)
        {
            config.error("freqs_per_packet", "must be at least 1, found " + freqsPerPacket);
        }
        if (inputsPerPacket < 1)
        {
            config.error("inputs_per_packet", "must be at least 1, found " + inputsPerPacket);
        }
        if (footerBytes < 0)
        {
            config.error("footer_bytes", "must not be negative, found " + footerBytes);
        }
        if (flagWord && footerBytes < PacketHeaderDescriptor.FLAG_WORD_FROM_END)
        {
            config.error("flag_word", "the flag word sits 6 bytes before the end of the datagram, inside the footer," +
                " but footer_bytes is " + footerBytes);
        }
        if (samplePeriodNs < 1)
        {
            config.error("sample_period_ns", "must be positive, found " + samplePeriodNs);
        }
        final long datagram = (long)PacketHeaderDescriptor.HEADER_LENGTH +
            (long)Math.max(samplesPerPacket, 0) * Math.max(freqsPerPacket, 0) * Math.max(inputsPerPacket, 0) +
            Math.max(footerBytes, 0);
        if (datagram > MAX_DATAGRAM)
        {
            config.error("a packet of " + samplesPerPacket + " samples x " + freqsPerPacket + " freqs x " +
                inputsPerPacket + " inputs + " + footerBytes + " footer bytes is " + datagram +
                " bytes, more than a UDP datagram can carry (" + MAX_DATAGRAM + ")");
        }
    }

    /** Payload bytes: {@code S x F_p x N_p}. */
    public int payloadBytes()
    {
        return samplesPerPacket * freqsPerPacket * inputsPerPacket;
    }

    /** The exact datagram length: header + payload + footer. */
    public int datagramBytes()
    {
        return PacketHeaderDescriptor.HEADER_LENGTH + payloadBytes() + footerBytes;
    }

    /** Centre frequency of a channel in MHz ({@code 800 - 0.390625 x freq_id} for CHIME). */
    public double freqMhz(final int freqId)
    {
        return freqTopMhz + freqStepMhz * freqId;
    }

    /** Packets per second of one stream at real time. */
    public double packetsPerSecond()
    {
        return 1e9 / ((double)samplePeriodNs * samplesPerPacket);
    }
}
