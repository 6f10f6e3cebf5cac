package io.concord.core.model;

/** Whether a model class overrides {@link Model#regularize} ({@link Model#hasRegularizer}'s default), per class. */
final class RegularizerOverrides {

    private static final ClassValue<Boolean> OVERRIDDEN = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            try {
                return type.getMethod("regularize", float[].class, float[].class).getDeclaringClass() != Model.class;
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(type.getName() + " has no regularize(float[], float[])", e);
            }
        }
    };

    private RegularizerOverrides() {
    }

    static boolean overridden(Class<?> type) {
        return OVERRIDDEN.get(type);
    }
}
