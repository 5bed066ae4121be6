# waitid: WNOWAIT leaves the zombie, a second call reaps it; then ECHILD (with the siginfo
# zeroed), and WNOHANG with a live child returns 0 with si_pid 0.
        .include "lib.S"
        .set P_ALL, 0
        .set P_PID, 1
        .set WNOHANG, 1
        .set WEXITED, 4
        .set WNOWAIT, 0x01000000
main:
        SYS SYS_fork
        test %rax, %rax
        jnz 1f
        EXIT 3
1:      mov %rax, %r12
        mov $(WEXITED | WNOWAIT), %r10d
        call wid
        mov $WEXITED, %r10d
        call wid
        mov $P_ALL, %edi
        xor %esi, %esi
        lea info(%rip), %rdx
        mov $(WEXITED | WNOHANG), %r10d
        xor %r8d, %r8d
        SYS SYS_waitid
        OUT %rax
        movslq info(%rip), %rax
        OUT %rax

        SYS SYS_fork
        test %rax, %rax
        jnz 2f
        SYS SYS_pause
        EXIT 1
2:      mov %rax, %r12
        mov $P_ALL, %edi
        xor %esi, %esi
        lea info(%rip), %rdx
        mov $(WEXITED | WNOHANG), %r10d
        xor %r8d, %r8d
        SYS SYS_waitid
        OUT %rax
        movslq info+16(%rip), %rax
        OUT %rax
        mov %r12, %rdi
        mov $SIGTERM, %esi
        SYS SYS_kill
        mov $WEXITED, %r10d
        call wid
        EXIT 0

# wid: waitid(P_PID, r12, &info, r10d, NULL); prints result, si_signo, si_code, si_status, si_pid - pid
wid:    mov $P_PID, %edi
        mov %r12, %rsi
        lea info(%rip), %rdx
        xor %r8d, %r8d
        movl $-1, info(%rip)
        SYS SYS_waitid
        OUT %rax
        movslq info(%rip), %rax
        OUT %rax
        movslq info+8(%rip), %rax
        OUT %rax
        movslq info+24(%rip), %rax
        OUT %rax
        movslq info+16(%rip), %rax
        sub %r12, %rax
        OUT %rax
        ret

        .balign 8
info:   .space 128
