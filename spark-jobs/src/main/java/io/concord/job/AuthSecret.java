package io.concord.job;

import io.concord.config.ConfigException;
import org.apache.spark.SparkConf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Supplies {@code spark.authenticate.secret} from outside any config file: when {@code spark.authenticate} is on and
 * the secret is not set, it is read from the file named by {@value #FILE_ENV} (first line, trimmed) or taken from
 * {@value #VALUE_ENV}. Spark itself reads secret files only on Kubernetes; on standalone the driver's conf must hold
 * the secret (executors get it from their worker through the environment).
 */
public final class AuthSecret {

    public static final String FILE_ENV = "CONCORD_AUTH_SECRET_FILE";
    public static final String VALUE_ENV = "CONCORD_AUTH_SECRET";
    static final String AUTHENTICATE = "spark.authenticate";
    static final String SECRET = "spark.authenticate.secret";

    private AuthSecret() {
    }

    static void apply(SparkConf conf, Map<String, String> env) {
        if (!conf.getBoolean(AUTHENTICATE, false) || conf.contains(SECRET)) {
            return;
        }
        String file = env.get(FILE_ENV);
        if (file != null && !file.isBlank()) {
            try {
                String secret = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
                if (secret.isEmpty()) {
                    throw new ConfigException(FILE_ENV, "the secret file " + file + " is empty");
                }
                conf.set(SECRET, secret);
            } catch (IOException e) {
                throw new ConfigException(FILE_ENV, "cannot read the secret file " + file + ": " + e.getMessage());
            }
        } else if (env.get(VALUE_ENV) != null && !env.get(VALUE_ENV).isBlank()) {
            conf.set(SECRET, env.get(VALUE_ENV));
        }
    }
}
