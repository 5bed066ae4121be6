package dev.nexa.kernel.initramfs;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Multiplies a property's tries by {@link #FACTOR} when the JVM runs with -Dnexa.long=true
 * ({@code ./mvnw -B -pl nexa-kernel -am verify -Dnexa.long=true}): the default runs stay quick, a long
 * campaign needs no code change.
 */
final class LongRuns implements AroundPropertyHook {
    static final int FACTOR = 100;

    static boolean enabled() {
        return Boolean.getBoolean("nexa.long");
    }

    /** Registered on a test class, the hook applies to each of its properties. */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        if (enabled()) {
            var attributes = context.attributes();
            attributes.setTries(attributes.tries().orElse(1000) * FACTOR);
        }
        return property.execute();
    }
}
