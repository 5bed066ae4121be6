# A signal interrupting wait4: without SA_RESTART the call fails with EINTR after the handler;
# with SA_RESTART it is restarted and returns the child once it exits.
        .include "lib.S"
main:
        SIGACTION SIGUSR1, handler, 0
        SYS SYS_getpid
        mov %rax, %r15
        SYS SYS_fork
        test %rax, %rax
        jnz 1f
        mov %r15, %rdi
        mov $SIGUSR1, %esi
        SYS SYS_kill
        SYS SYS_pause
        EXIT 1
1:      mov %rax, %r12
        mov %r12, %rdi
        lea status(%rip), %rsi
        xor %edx, %edx
        xor %r10d, %r10d
        SYS SYS_wait4
        OUT %rax
        OUT handled(%rip)
        mov %r12, %rdi
        mov $9, %esi
        SYS SYS_kill
        mov %r12, %rdi
        lea status(%rip), %rsi
        xor %edx, %edx
        xor %r10d, %r10d
        SYS SYS_wait4
        OUT status(%rip)

        SIGACTION SIGUSR1, handler, SA_RESTART
        SYS SYS_fork
        test %rax, %rax
        jnz 2f
        mov %r15, %rdi
        mov $SIGUSR1, %esi
        SYS SYS_kill
        lea ts(%rip), %rdi
        xor %esi, %esi
        SYS SYS_nanosleep
        EXIT 3
2:      mov %rax, %r12
        mov %r12, %rdi
        lea status(%rip), %rsi
        xor %edx, %edx
        xor %r10d, %r10d
        SYS SYS_wait4
        sub %r12, %rax
        OUT %rax
        OUT status(%rip)
        OUT handled(%rip)
        EXIT 0

handler:
        incq handled(%rip)
        ret

        .balign 8
handled: .quad 0
status: .quad 0
ts:     .quad 0, 20000000
