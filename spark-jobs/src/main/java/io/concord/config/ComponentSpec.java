package io.concord.config;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A named, parameterised component chosen in YAML, e.g. {@code optimizer: {name: adamw, lr: 0.001}}. The registry
 * that builds it validates the parameters (and names the offending key).
 */
public final class ComponentSpec {

    private final String name;
    private final Map<String, Object> params = new LinkedHashMap<>();

    @JsonCreator
    public ComponentSpec(@JsonProperty("name") String name) {
        this.name = name;
    }

    public static ComponentSpec of(String name, Map<String, Object> params) {
        ComponentSpec spec = new ComponentSpec(name);
        spec.params.putAll(params);
        return spec;
    }

    @JsonProperty("name")
    public String name() {
        return name;
    }

    @JsonAnyGetter
    public Map<String, Object> params() {
        return params;
    }

    @JsonAnySetter
    void set(String key, Object value) {
        params.put(key, value);
    }

    @Override
    public String toString() {
        return name + params;
    }
}
