package io.concord.model;

import io.concord.config.ConfigException;
import io.concord.data.graph.IdMap;
import io.concord.run.RunDirectory;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;

/**
 * The id maps of a model: {@code model/user-ids.idmap} and {@code model/item-ids.idmap} ({@link IdMap}'s file
 * format). A job whose reader mapped original ids writes them first; a job over data whose ids are already dense
 * indices gets identity maps here, so every recommender model has both.
 */
public final class IdMaps {

    public static final String USERS = "user-ids.idmap";
    public static final String ITEMS = "item-ids.idmap";

    private IdMaps() {
    }

    /** The staged map {@code model/<file>}, written as the identity of size {@code n} when absent. */
    public static IdMap ensure(RunDirectory dir, String file, int n, Configuration conf) {
        Path path = dir.staged("model/" + file);
        try {
            if (dir.fs().exists(path)) {
                IdMap map = IdMap.read(path, conf);
                if (map.size() != n) {
                    throw new IllegalStateException(path + " maps " + map.size() + " ids but the model has " + n);
                }
                return map;
            }
            IdMap identity = IdMap.identity(n);
            identity.write(path, conf);
            return identity;
        } catch (IOException e) {
            throw new RunDirectory.OutputException("writing " + path + " failed: " + e.getMessage(), e);
        }
    }

    /** Reads {@code <run>/model/<file>}. */
    public static IdMap read(Path run, String file, Configuration conf) {
        Path path = new Path(new Path(run, "model"), file);
        try {
            return IdMap.read(path, conf);
        } catch (IOException e) {
            throw new ConfigException("--model", "cannot read the id map " + path + ": "
                    + e.getMessage());
        }
    }
}
