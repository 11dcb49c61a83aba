package org.kotekanj.stages.receive;

import java.util.ArrayList;
import java.util.List;

import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.ConfigNode;
import org.kotekanj.config.ConfigValue;
import org.kotekanj.config.StageConfig;

/**
 * Receive ports belong to exactly one receiver. Sockets bind without {@code SO_REUSEADDR}, so a second process on a
 * taken port fails to start instead of silently taking the first one's traffic ({@link #inUse}); and a config in
 * which two receive stages, or one stage twice, would bind the same port is rejected by {@code check}
 * ({@link #check}), as is a {@code bind_address} that is not an IPv4 address.
 */
final class ReceivePorts
{
    static final int EADDRINUSE = 98;
    private static final String RECEIVER = "FengineReceiver";

    private ReceivePorts()
    {
    }

    /** The start failure of a taken port, in one sentence. */
    static IllegalStateException inUse(final String bindAddress, final int port)
    {
        return new IllegalStateException("port " + port + " is already in use on " + bindAddress +
            " (another kotekan-j instance, or another program, receives there)");
    }

    /** Checks one receive stage's address and ports, and that no other receive stage in the config binds them. */
    static void check(final StageConfig config, final String bindAddress, final int[] ports)
    {
        if (!isIpv4(bindAddress))
        {
            config.error("bind_address", "\"" + bindAddress + "\" is not an IPv4 address (e.g. 0.0.0.0, 10.1.2.3)");
        }
        for (int i = 0; i < ports.length; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (ports[i] == ports[j])
                {
                    config.error("ports", "port " + ports[i] + " is listed twice: one link per port");
                }
            }
        }
        final ConfigNode self = config.node();
        ConfigNode root = self;
        while (!root.isRoot())
        {
            root = root.parent();
        }
        final List<ConfigNode> receivers = new ArrayList<>();
        root.walk(node ->
        {
            final ConfigValue type = node.own(ConfigNode.STAGE);
            if (node != self && type != null && RECEIVER.equals(String.valueOf(type.raw())))
            {
                receivers.add(node);
            }
        });
        for (final ConfigNode other : receivers)
        {
            final StageConfig view = new StageConfig(other, new ConfigErrors());
            if ("pcap".equals(view.getString("source", "recvmmsg")))
            {
                continue;
            }
            final String otherAddress = view.getString("bind_address", "0.0.0.0");
            if (!overlaps(bindAddress, otherAddress))
            {
                continue;
            }
            for (final int port : view.getIntArray("ports", new int[0]))
            {
                for (final int mine : ports)
                {
                    // Reported once, on the stage that comes later in the file.
                    if (port == mine && other.path().compareTo(self.path()) < 0)
                    {
                        config.error("ports", "port " + mine + " is also received by " + other.path() +
                            ": receive ports bind exclusively");
                    }
                }
            }
        }
    }

    private static boolean overlaps(final String a, final String b)
    {
        return a.equals(b) || "0.0.0.0".equals(a) || "0.0.0.0".equals(b);
    }

    /** A dotted-quad IPv4 literal, each part 0..255 without a sign or leading zeros. */
    static boolean isIpv4(final String address)
    {
        final String[] parts = address.split("\\.", -1);
        if (parts.length != 4)
        {
            return false;
        }
        for (final String part : parts)
        {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit) ||
                part.length() > 1 && part.charAt(0) == '0' || Integer.parseInt(part) > 255)
            {
                return false;
            }
        }
        return true;
    }
}
