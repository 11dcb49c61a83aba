package org.kotekanj.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.kotekanj.config.ConfigErrors;
import org.kotekanj.config.ConfigNode;
import org.kotekanj.config.ConfigValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kotekan-j demo}: the built-in demo pipeline ({@code pipelines/demo.yaml}), runnable on any machine without a
 * telescope, a GPU or root. After the run it says where the visibility writers put their files and checks each with
 * {@code verify} against the simulator's answer (old {@code vis_*.h5} files there are deleted first).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the built-in demo pipeline (pipelines/demo.yaml) and report what it checked.")
public final class DemoCommand implements Callable<Integer>
{
    static final String RESOURCE = "/org/kotekanj/pipelines/demo.yaml";

    @Mixin
    ConfigFlags configFlags;

    @Mixin
    ServiceFlags serviceFlags;

    @Option(names = "--print-config", description = "print the demo config and exit")
    boolean printConfig;

    @Override
    public Integer call() throws IOException
    {
        final String text;
        try (InputStream in = DemoCommand.class.getResourceAsStream(RESOURCE))
        {
            if (in == null)
            {
                System.err.println("the demo config " + RESOURCE + " is not on the classpath (build the pipelines module)");
                return PipelineCommand.EXIT_CONFIG;
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (printConfig)
        {
            System.out.print(text);
            return PipelineCommand.EXIT_OK;
        }
        final ConfigErrors errors = new ConfigErrors();
        final ConfigNode root = configFlags.parse(text, "demo.yaml", errors);
        final List<Path> outputDirs = outputDirs(root);
        for (final Path dir : outputDirs)
        {
            deleteOldFiles(dir);
        }
        final long started = System.nanoTime();
        final int exit = PipelineCommand.run(root, errors, serviceFlags, null, System.out, System.err);
        if (exit != PipelineCommand.EXIT_OK)
        {
            return exit;
        }
        final double seconds = (System.nanoTime() - started) / 1e9;
        boolean agree = true;
        for (final Path dir : outputDirs)
        {
            agree &= verify(dir, text, seconds);
        }
        return agree ? PipelineCommand.EXIT_OK : PipelineCommand.EXIT_FAILED;
    }

    /** The output directories of the config's visibility writers. */
    private static List<Path> outputDirs(final ConfigNode root)
    {
        final List<Path> dirs = new ArrayList<>();
        root.walk(node ->
        {
            final ConfigValue stage = node.own(ConfigNode.STAGE);
            final ConfigValue dir = node.lookup("output_dir");
            if (stage != null && "VisibilityWriter".equals(String.valueOf(stage.raw())) && dir != null)
            {
                dirs.add(Path.of(String.valueOf(dir.raw())));
            }
        });
        return dirs;
    }

    private static void deleteOldFiles(final Path dir) throws IOException
    {
        if (Files.isDirectory(dir))
        {
            try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "vis_*.h5"))
            {
                for (final Path file : old)
                {
                    Files.delete(file);
                }
            }
        }
    }

    /** Says where the files are and checks each against the simulator's expected visibilities ({@code verify}). */
    private boolean verify(final Path dir, final String text, final double seconds) throws IOException
    {
        final List<Path> files = new ArrayList<>();
        if (Files.isDirectory(dir))
        {
            try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, "vis_*.h5"))
            {
                found.forEach(files::add);
            }
        }
        files.sort(null);
        System.out.println("demo ran in " + String.format("%.1f", seconds) + " s; " + files.size() +
            " visibility files in " + dir.toAbsolutePath());
        if (files.isEmpty())
        {
            return false;
        }
        final Path config = dir.resolve("demo.yaml");
        Files.writeString(config, text);
        int agreeing = 0;
        for (final Path file : files)
        {
            final List<String> args = new ArrayList<>(List.of("verify", config.toString()));
            for (final String override : configFlags.overrides)
            {
                args.add("--set");
                args.add(override);
            }
            args.add(file.toString());
            System.out.println("verify " + file.getFileName() + ":");
            if (Main.commandLine().execute(args.toArray(String[]::new)) == 0)
            {
                agreeing++;
            }
        }
        System.out.println("verify: " + agreeing + " of " + files.size() + " files agree with the simulator's " +
            "expected visibilities" + (agreeing == files.size() ? "" : " (FAILED)"));
        return agreeing == files.size();
    }
}
