package io.concord.workload.source;

import io.concord.config.ConfigException;
import io.concord.core.calib.CalibParam;

import java.util.List;

/**
 * The column mapping of a stereo image-pair table ({@code data.columns} of {@code calib}): one
 * {@code io.concord.data.calib.StereoPair} per row. Every default is the field's name in the shard format.
 *
 * @param id     record id, string or integer (default {@code id}): the rows are ordered by it (so sharding, which
 *               follows record order, does not depend on file order), and the held-out split of a single source
 *               hashes its text, as for shard records with the same id
 * @param left   left view, binary: {@code height × width × 3} bytes, row-major, interleaved RGB; default {@code left}
 * @param right  right view, binary, same layout; default {@code right}
 * @param width  image width in pixels, integer; default {@code width} (every row must have the same size)
 * @param height image height in pixels, integer; default {@code height}
 * @param fx     the ten calibration labels, numeric (stored as float32), in {@link CalibParam} order; each default is
 *               the parameter's key: {@code fx}, {@code fy}, {@code px}, {@code py}, {@code b}, {@code d},
 *               {@code tx}, {@code ty}, {@code tz}, {@code theta}
 */
public record ImagePairColumns(String id, String left, String right, String width, String height, String fx,
                               String fy, String px, String py, String b, String d, String tx, String ty, String tz,
                               String theta) {

    public ImagePairColumns {
        id = name("id", id);
        left = name("left", left);
        right = name("right", right);
        width = name("width", width);
        height = name("height", height);
        fx = name("fx", fx);
        fy = name("fy", fy);
        px = name("px", px);
        py = name("py", py);
        b = name("b", b);
        d = name("d", d);
        tx = name("tx", tx);
        ty = name("ty", ty);
        tz = name("tz", tz);
        theta = name("theta", theta);
    }

    public static ImagePairColumns defaults() {
        return new ImagePairColumns(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }

    /** The label columns in {@link CalibParam} order. */
    public List<String> labels() {
        return List.of(fx, fy, px, py, b, d, tx, ty, tz, theta);
    }

    /** {@code data.columns.<field>}: the key that maps a column, for messages. */
    static String key(String field) {
        return "data.columns." + field;
    }

    private static String name(String field, String value) {
        if (value == null) {
            return field;
        }
        if (value.isBlank()) {
            throw new ConfigException(key(field), value, "a column name");
        }
        return value;
    }
}
