# execve: a missing file fails with ENOENT and the caller goes on; a #! script "/script"
# ("#!/prog arg") runs this program again as /prog arg /script y, which exits 44.
        .include "lib.S"
main:
        mov (%rsp), %rax
        OUT %rax
        cmp $1, %rax
        jne again
        lea missing(%rip), %rdi
        lea argv(%rip), %rsi
        xor %edx, %edx
        SYS SYS_execve
        OUT %rax
        lea script(%rip), %rdi
        lea argv(%rip), %rsi
        lea envp(%rip), %rdx
        SYS SYS_execve
        OUT %rax
        EXIT 1
again:
        mov 16(%rsp), %rsi
        movl (%rsi), %eax
        OUT %rax
        mov 24(%rsp), %rsi
        mov (%rsi), %rax
        OUT %rax
        mov 32(%rsp), %rsi
        movzbl (%rsi), %eax
        OUT %rax
        mov 48(%rsp), %rsi
        movl (%rsi), %eax
        OUT %rax
        EXIT 44

        .balign 8
argv:   .quad script, y, 0
envp:   .quad env, 0
missing: .asciz "/missing"
script: .asciz "/script"
y:      .asciz "y"
env:    .asciz "E=1"
