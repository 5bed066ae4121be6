package dev.nexa.elf;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Multiplies a property's tries by {@value #FACTOR} when the system property {@code nexa.long} is
 * {@code true} ({@code ./mvnw -q -B -pl nexa-elf -am verify -Dnexa.long=true}); Surefire passes
 * the Maven {@code -D} to the test JVM. Attach with {@code @AddLifecycleHook(LongCampaign.class)}.
 */
public class LongCampaign implements AroundPropertyHook {
    static final int FACTOR = 50;

    static boolean enabled() {
        return Boolean.getBoolean("nexa.long");
    }

    /** Registered on a test class, the hook applies to all its properties. */
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
