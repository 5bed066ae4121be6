# clone3 as posix_spawn uses it (CLONE_VM|CLONE_VFORK, exit signal SIGCHLD, own stack): the
# child runs on the new stack in the parent's memory and exits; the parent resumes after it.
        .include "lib.S"
main:
        lea args(%rip), %rdi
        mov $88, %esi
        SYS SYS_clone3
        test %rax, %rax
        jz child
        mov %rax, %r12
        OUT flag(%rip)
        mov %r12, %rdi
        lea status(%rip), %rsi
        xor %edx, %edx
        xor %r10d, %r10d
        SYS SYS_wait4
        sub %r12, %rax
        OUT %rax
        OUT status(%rip)
        EXIT 0
child:
        mov %rsp, %rax
        sub $SCRATCH, %rax
        mov %rax, flag(%rip)
        EXIT 6

        .balign 8
        # flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup
args:   .quad 0x4100, 0, 0, 0, SIGCHLD, SCRATCH, 0x8000, 0, 0, 0, 0
flag:   .quad -1
status: .quad 0
