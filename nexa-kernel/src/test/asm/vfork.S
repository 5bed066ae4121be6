# vfork: the child runs first in the parent's memory and the parent resumes when it exits;
# a failed execve in the child returns its errno there.
        .include "lib.S"
main:
        movq $0, shared(%rip)
        SYS SYS_vfork
        test %rax, %rax
        jnz 1f
        movq $5, shared(%rip)
        OUTI 0xc
        EXIT 0
1:      mov %rax, %r12
        OUTI 0x9
        OUT shared(%rip)
        mov %r12, %rdi
        lea status(%rip), %rsi
        xor %edx, %edx
        xor %r10d, %r10d
        SYS SYS_wait4
        sub %r12, %rax
        OUT %rax

        SYS SYS_vfork
        test %rax, %rax
        jnz 2f
        lea missing(%rip), %rdi
        lea argv(%rip), %rsi
        xor %edx, %edx
        SYS SYS_execve
        mov %rax, shared(%rip)
        EXIT 7
2:      OUT shared(%rip)
        mov $-1, %rdi
        lea status(%rip), %rsi
        xor %edx, %edx
        xor %r10d, %r10d
        SYS SYS_wait4
        OUT status(%rip)
        EXIT 0

        .balign 8
shared: .quad 0
status: .quad 0
argv:   .quad missing, 0
missing: .asciz "/missing"
