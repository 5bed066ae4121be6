# Job control: a child stops itself with SIGSTOP (WUNTRACED sees 0x137f), SIGCONT resumes it
# (WCONTINUED sees 0xffff), then it exits 5.
        .include "lib.S"
main:
        SYS SYS_fork
        test %rax, %rax
        jnz 1f
        SYS SYS_getpid
        mov %rax, %rdi
        mov $SIGSTOP, %esi
        SYS SYS_kill
        EXIT 5
1:      mov %rax, %r12
        mov $2, %edx
        call waitfor
        mov %r12, %rdi
        mov $SIGCONT, %esi
        SYS SYS_kill
        mov $8, %edx
        call waitfor
        xor %edx, %edx
        call waitfor
        EXIT 0

# waitfor: wait4(r12, &status, edx, NULL); prints result - pid and the status
waitfor:
        mov %r12, %rdi
        lea status(%rip), %rsi
        xor %r10d, %r10d
        SYS SYS_wait4
        sub %r12, %rax
        OUT %rax
        OUT status(%rip)
        ret

        .balign 8
status: .quad 0
