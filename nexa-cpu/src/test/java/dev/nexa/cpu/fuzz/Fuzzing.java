package dev.nexa.cpu.fuzz;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * The lifecycle hook of the fuzzing properties (nexa-cpu and nexa-kernel each have a copy: test
 * classes are not shared between modules) ({@code @AddLifecycleHook(Fuzzing.class)}):
 * <ul>
 *   <li>Long campaigns: with {@code -Dnexa.long=true} a property runs {@value #FACTOR} times its
 *       annotated tries, or {@code -Dnexa.tries=N} (jqwik's default tries) if that is more.</li>
 *   <li>Regressions: when a property fails, its shrunk {@link Sample} parameters are written to
 *       fixtures/regressions/KIND/ (kind and extension from {@link Keep} on the property) with
 *       a note, and the failure message says where.</li>
 * </ul>
 */
public class Fuzzing implements AroundPropertyHook {
    public static final int FACTOR = 25;

    /** Where a failing property's samples go: fixtures/regressions/{@code kind}/NAME.{@code ext}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    public @interface Keep {
        String kind();

        String ext();
    }

    public static boolean longCampaign() { return Boolean.getBoolean("nexa.long"); }

    /** The input of the latest failing check (properties whose parameters are not the input itself). */
    private static volatile byte[] failingInput;

    /**
     * Records the input a check failed on. While jqwik shrinks, each smaller failing input
     * replaces the last, so what is left when the property has failed is the shrunk one.
     */
    public static void failing(byte[] input) { failingInput = input.clone(); }

    @Override
    public PropagationMode propagateTo() { return PropagationMode.ALL_DESCENDANTS; }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        if (longCampaign()) {
            var attributes = context.attributes();
            int annotated = attributes.tries().orElse(1000);
            int wanted = Math.max(annotated * FACTOR, Integer.getInteger("jqwik.tries.default", 0));
            attributes.setTries(wanted);
        }
        failingInput = null;
        PropertyExecutionResult result = property.execute();
        if (result.status() == PropertyExecutionResult.Status.FAILED) {
            var keep = context.findAnnotation(Keep.class).or(() -> context.findAnnotationsInContainer(Keep.class)
                    .stream().findFirst());
            var params = result.falsifiedParameters();
            if (keep.isPresent() && params.isPresent()) {
                StringBuilder where = new StringBuilder();
                String why = result.throwable().map(Throwable::getMessage).orElse("");
                for (Object p : params.get()) {
                    if (p instanceof Sample s) {
                        var path = Corpus.keep(keep.get().kind(), keep.get().ext(), context.label(), s.fileBytes(),
                                s.describe() + " -- " + why);
                        if (path != null) where.append(' ').append(path);
                    }
                }
                byte[] input = failingInput;
                if (where.isEmpty() && input != null) {
                    var path = Corpus.keep(keep.get().kind(), keep.get().ext(), context.label(), input,
                            "parameters " + params.get() + " -- " + why);
                    if (path != null) where.append(' ').append(path);
                }
                if (!where.isEmpty()) {
                    System.err.println("nexa: shrunk failing sample kept for the regression corpus:" + where);
                }
            }
        }
        return result;
    }
}
