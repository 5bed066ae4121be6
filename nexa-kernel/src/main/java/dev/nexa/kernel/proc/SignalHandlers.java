package dev.nexa.kernel.proc;

import dev.nexa.kernel.abi.Signal;

import java.util.Arrays;

/**
 * The signal dispositions of a process (Linux's sighand_struct). Threads share it through
 * their {@link Process}; clone(CLONE_SIGHAND) without CLONE_THREAD shares it between processes.
 */
public final class SignalHandlers {
    private final SignalAction[] actions = new SignalAction[Signal.NSIG + 1];

    public SignalHandlers() { Arrays.fill(actions, SignalAction.DEFAULT); }

    public SignalAction get(int sig) { return actions[sig]; }

    public void set(int sig, SignalAction a) { actions[sig] = a; }

    /** A private copy (fork without CLONE_SIGHAND). */
    public SignalHandlers copy() {
        SignalHandlers h = new SignalHandlers();
        System.arraycopy(actions, 0, h.actions, 0, actions.length);
        return h;
    }

    /** clone3(CLONE_CLEAR_SIGHAND): handled signals go back to SIG_DFL, ignored ones stay ignored. */
    public void clearHandled() {
        for (int s = 1; s <= Signal.NSIG; s++) if (!actions[s].isIgnore()) actions[s] = SignalAction.DEFAULT;
    }

    /**
     * execve (flush_signal_handlers with force_default = 0): handlers become SIG_DFL, SIG_IGN
     * stays, and flags, restorer and mask are cleared in every slot.
     */
    public void resetForExec() {
        for (int s = 1; s <= Signal.NSIG; s++) {
            actions[s] = actions[s].isIgnore() ? new SignalAction(SignalAction.SIG_IGN, 0, 0, 0) : SignalAction.DEFAULT;
        }
    }
}
