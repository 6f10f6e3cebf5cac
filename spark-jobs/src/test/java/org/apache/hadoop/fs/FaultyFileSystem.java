package org.apache.hadoop.fs;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * The local file system under the scheme {@code faulty://}, whose writes to paths matching {@value #FAIL_ON} fail the
 * way a full local disk does: Hadoop's local stream turns the {@code IOException} "No space left on device" into an
 * {@link FSError} (whose constructor is package-private, hence this package). Register it with
 * {@code fs.faulty.impl} (and {@code fs.faulty.impl.disable.cache=true} so each run reads its own settings).
 */
public class FaultyFileSystem extends RawLocalFileSystem {

    public static final String FAIL_ON = "fs.faulty.failOn";
    public static final String NO_SPACE = "No space left on device";

    private Pattern failOn;

    @Override
    public URI getUri() {
        return URI.create("faulty:///");
    }

    @Override
    public String getScheme() {
        return "faulty";
    }

    @Override
    public void initialize(URI uri, Configuration conf) throws IOException {
        super.initialize(uri, conf);
        String regex = conf.get(FAIL_ON);
        failOn = regex == null || regex.isEmpty() ? null : Pattern.compile(regex);
    }

    @Override
    public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
                                     Progressable progress) throws IOException {
        return faulty(f, super.create(f, overwrite, bufferSize, replication, blockSize, progress));
    }

    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
                                     short replication, long blockSize, Progressable progress) throws IOException {
        return faulty(f, super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress));
    }

    private FSDataOutputStream faulty(Path f, FSDataOutputStream out) {
        if (failOn == null || !failOn.matcher(f.toString()).find()) {
            return out;
        }
        return new FSDataOutputStream(new OutputStream() {
            @Override
            public void write(int b) {
                throw new FSError(new IOException(NO_SPACE));
            }

            @Override
            public void write(byte[] b, int off, int len) {
                throw new FSError(new IOException(NO_SPACE));
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        }, null);
    }
}
