# Masks: a blocked signal stays pending (rt_sigpending), rt_sigsuspend with an empty mask runs
# the handler and fails with EINTR, the old mask comes back; rt_sigtimedwait takes a blocked
# pending signal with its siginfo, and polls with EAGAIN when nothing is pending.
        .include "lib.S"
main:
        SIGACTION SIGUSR1, handler, 0
        xor %edi, %edi
        lea usr1(%rip), %rsi
        xor %edx, %edx
        mov $8, %r10d
        SYS SYS_rt_sigprocmask
        SYS SYS_getpid
        mov %rax, %r15
        mov %r15, %rdi
        mov $SIGUSR1, %esi
        SYS SYS_kill
        OUT handled(%rip)
        lea pend(%rip), %rdi
        mov $8, %esi
        SYS SYS_rt_sigpending
        OUT pend(%rip)
        lea empty(%rip), %rdi
        mov $8, %esi
        SYS SYS_rt_sigsuspend
        OUT %rax
        OUT handled(%rip)
        xor %edi, %edi
        xor %esi, %esi
        lea pend(%rip), %rdx
        mov $8, %r10d
        SYS SYS_rt_sigprocmask
        OUT pend(%rip)

        xor %edi, %edi
        lea usr2(%rip), %rsi
        xor %edx, %edx
        mov $8, %r10d
        SYS SYS_rt_sigprocmask
        mov %r15, %rdi
        mov $SIGUSR2, %esi
        SYS SYS_kill
        lea usr2(%rip), %rdi
        lea info(%rip), %rsi
        xor %edx, %edx
        mov $8, %r10d
        SYS SYS_rt_sigtimedwait
        OUT %rax
        movslq info(%rip), %rax
        OUT %rax
        movslq info+8(%rip), %rax
        OUT %rax
        movslq info+16(%rip), %rax
        OUT %rax
        lea usr2(%rip), %rdi
        lea info(%rip), %rsi
        lea zero(%rip), %rdx
        mov $8, %r10d
        SYS SYS_rt_sigtimedwait
        OUT %rax
        EXIT 0

handler:
        incq handled(%rip)
        ret

        .balign 8
handled: .quad 0
usr1:   .quad 1 << (SIGUSR1 - 1)
usr2:   .quad 1 << (SIGUSR2 - 1)
empty:  .quad 0
pend:   .quad 0
zero:   .quad 0, 0
info:   .space 128
