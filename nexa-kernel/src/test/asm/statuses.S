# fork + wait4: exit codes, death by kill(2), by a fault (SIGSEGV) and by ud2 (SIGILL), ECHILD
# when no child is left, getppid of pid 1. Output: wait4 result - pid, then the four statuses.
        .include "lib.S"
main:
        SYS SYS_fork
        test %rax, %rax
        jnz 1f
        EXIT 42
1:      mov %rax, %r12
        mov %r12, %rdi
        lea status(%rip), %rsi
        xor %edx, %edx
        lea rusage(%rip), %r10
        SYS SYS_wait4
        sub %r12, %rax
        OUT %rax
        OUT status(%rip)

        SYS SYS_fork
        test %rax, %rax
        jnz 2f
        SYS SYS_getpid
        mov %rax, %rdi
        mov $SIGTERM, %esi
        SYS SYS_kill
        EXIT 99
2:      call reap

        SYS SYS_fork
        test %rax, %rax
        jnz 3f
        movq $1, 0
        EXIT 98
3:      call reap

        SYS SYS_fork
        test %rax, %rax
        jnz 4f
        ud2
4:      call reap

        mov $-1, %rdi
        xor %esi, %esi
        xor %edx, %edx
        xor %r10d, %r10d
        SYS SYS_wait4
        OUT %rax
        SYS SYS_getppid
        OUT %rax
        EXIT 0

# reap: wait4(rax, &status, 0, NULL) and print the status
reap:   mov %rax, %rdi
        lea status(%rip), %rsi
        xor %edx, %edx
        xor %r10d, %r10d
        SYS SYS_wait4
        OUT status(%rip)
        ret

        .balign 8
status: .quad 0
rusage: .space 144
