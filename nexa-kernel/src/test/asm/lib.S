# Shared definitions for the kernel test guests: Linux x86-64 syscall numbers and a few helpers.
# Each program is linked flat at 0x401000 (one RWX PT_LOAD) with 1 MiB of zeroed memory at
# SCRATCH (a second PT_LOAD); results go to stdout as raw little-endian 8-byte words.
        .set SCRATCH, 0x500000
        .set SYS_read, 0
        .set SYS_write, 1
        .set SYS_poll, 7
        .set SYS_rt_sigaction, 13
        .set SYS_rt_sigprocmask, 14
        .set SYS_rt_sigreturn, 15
        .set SYS_select, 23
        .set SYS_sched_yield, 24
        .set SYS_pause, 34
        .set SYS_nanosleep, 35
        .set SYS_getitimer, 36
        .set SYS_alarm, 37
        .set SYS_setitimer, 38
        .set SYS_getpid, 39
        .set SYS_clone, 56
        .set SYS_fork, 57
        .set SYS_vfork, 58
        .set SYS_execve, 59
        .set SYS_exit, 60
        .set SYS_wait4, 61
        .set SYS_kill, 62
        .set SYS_getppid, 110
        .set SYS_setpgid, 109
        .set SYS_setsid, 112
        .set SYS_rt_sigpending, 127
        .set SYS_rt_sigtimedwait, 128
        .set SYS_rt_sigsuspend, 130
        .set SYS_sigaltstack, 131
        .set SYS_gettid, 186
        .set SYS_tkill, 200
        .set SYS_futex, 202
        .set SYS_set_tid_address, 218
        .set SYS_exit_group, 231
        .set SYS_tgkill, 234
        .set SYS_waitid, 247
        .set SYS_ppoll, 271
        .set SYS_clone3, 435

        .set SIGUSR1, 10
        .set SIGUSR2, 12
        .set SIGSEGV, 11
        .set SIGALRM, 14
        .set SIGTERM, 15
        .set SIGCHLD, 17
        .set SIGCONT, 18
        .set SIGSTOP, 19
        .set SA_SIGINFO, 4
        .set SA_ONSTACK, 0x08000000
        .set SA_RESTART, 0x10000000
        .set SA_NODEFER, 0x40000000
        .set SA_RESTORER, 0x04000000

        .macro SYS nr
        mov $\nr, %eax
        syscall
        .endm

        # OUT reg: writes the 8 bytes of a register to stdout; every register is preserved.
        .macro OUT reg
        push \reg
        call out_top
        add $8, %rsp
        .endm

        # OUTI imm: writes an immediate (sign-extended 32-bit) as 8 bytes.
        .macro OUTI imm
        sub $8, %rsp
        movq $\imm, (%rsp)
        call out_top
        add $8, %rsp
        .endm

        # EXIT code
        .macro EXIT code
        mov $\code, %edi
        mov $SYS_exit_group, %eax
        syscall
        .endm

        # SIGACTION sig, handler, flags: rt_sigaction(sig, {handler, flags|SA_RESTORER, restorer, 0}, NULL, 8)
        .macro SIGACTION sig, handler, flags
        lea sa_buf(%rip), %rsi
        lea \handler(%rip), %rax
        mov %rax, (%rsi)
        movq $(\flags | SA_RESTORER), 8(%rsi)
        lea restorer(%rip), %rax
        mov %rax, 16(%rsi)
        movq $0, 24(%rsi)
        mov $\sig, %edi
        xor %edx, %edx
        mov $8, %r10d
        mov $SYS_rt_sigaction, %eax
        syscall
        .endm

        .text
        .globl _start
_start:
        jmp main

# out_top: writes the 8-byte word just above the return address.
out_top:
        push %rax
        push %rcx
        push %rdx
        push %rsi
        push %rdi
        push %r11
        lea 56(%rsp), %rsi
        mov $1, %edi
        mov $8, %edx
        mov $SYS_write, %eax
        syscall
        pop %r11
        pop %rdi
        pop %rsi
        pop %rdx
        pop %rcx
        pop %rax
        ret

# The sa_restorer every handler returns to.
restorer:
        mov $SYS_rt_sigreturn, %eax
        syscall
        hlt

        .balign 8
sa_buf: .quad 0, 0, 0, 0
