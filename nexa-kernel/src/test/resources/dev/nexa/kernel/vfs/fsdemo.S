/* fsdemo: file system calls from a program with no libc, for the end-to-end differential test
 * (VfsEndToEndTest): run natively and under Nexa in a fresh directory, stdout and the exit status
 * must match. Works with relative names only. Exit status: 0 when every step held, else the
 * number of the step that failed. */
        .file   "fsdemo.S"
        .text
        .globl _start

        .macro  SYS nr
        movl    $\nr, %eax
        syscall
        .endm
        .macro  CHECK step            /* rax < 0: exit with the step number */
        movl    $\step, %edi
        testq   %rax, %rax
        js      fail
        .endm
        .macro  PRINT addr, len
        movl    $1, %edi
        leaq    \addr(%rip), %rsi
        movl    $\len, %edx
        SYS     1
        .endm

_start:
        subq    $512, %rsp              /* buf at 0(%rsp), struct stat at 256(%rsp), fds at 448(%rsp) */

        leaq    dir(%rip), %rdi         /* 1: mkdir("d", 0755) */
        movl    $0755, %esi
        SYS     83
        CHECK   1

        movl    $-100, %edi             /* 2: openat(AT_FDCWD, "d/f", O_CREAT|O_WRONLY|O_TRUNC, 0644) */
        leaq    file(%rip), %rsi
        movl    $01101, %edx
        movl    $0644, %r10d
        SYS     257
        CHECK   2
        movq    %rax, %r12
        movq    %r12, %rdi              /* write(fd, text) */
        leaq    text(%rip), %rsi
        movl    $text_len, %edx
        SYS     1
        CHECK   2
        movq    %r12, %rdi
        SYS     3

        leaq    f(%rip), %rdi           /* 3: symlink("f", "d/l") */
        leaq    link(%rip), %rsi
        SYS     88
        CHECK   3
        leaq    file(%rip), %rdi        /* 4: link("d/f", "d/h") */
        leaq    hard(%rip), %rsi
        SYS     86
        CHECK   4

        leaq    link(%rip), %rdi        /* 5: open("d/l") follows the link; copy to stdout */
        xorl    %esi, %esi
        SYS     2
        CHECK   5
        movq    %rax, %r12
        movq    %r12, %rdi
        movq    %rsp, %rsi
        movl    $64, %edx
        SYS     0
        CHECK   5
        movq    %rax, %rdx
        movl    $1, %edi
        movq    %rsp, %rsi
        SYS     1
        movq    %r12, %rdi
        SYS     3

        leaq    hard(%rip), %rdi        /* 6: stat("d/h"): st_nlink must be 2, st_size 10 */
        leaq    256(%rsp), %rsi
        SYS     4
        CHECK   6
        movl    $6, %edi
        cmpq    $2, 256+16(%rsp)
        jne     fail
        cmpq    $text_len, 256+48(%rsp)
        jne     fail

        leaq    448(%rsp), %rdi         /* 7: pipe; write; close the write end; read; then EOF */
        SYS     22
        CHECK   7
        movl    452(%rsp), %edi
        leaq    piped(%rip), %rsi
        movl    $piped_len, %edx
        SYS     1
        CHECK   7
        movl    452(%rsp), %edi
        SYS     3
        movl    448(%rsp), %edi
        movq    %rsp, %rsi
        movl    $64, %edx
        SYS     0
        CHECK   7
        movq    %rax, %rdx
        movl    $1, %edi
        movq    %rsp, %rsi
        SYS     1
        movl    448(%rsp), %edi
        movq    %rsp, %rsi
        movl    $64, %edx
        SYS     0
        movl    $7, %edi
        testq   %rax, %rax
        jne     fail

        leaq    link(%rip), %rdi        /* 8: readlink("d/l") = "f" */
        movq    %rsp, %rsi
        movl    $64, %edx
        SYS     89
        CHECK   8
        movl    $8, %edi
        cmpq    $1, %rax
        jne     fail
        cmpb    $'f', (%rsp)
        jne     fail

        leaq    hard(%rip), %rdi        /* 9: rename("d/h", "d/g"); unlink("d/f"): the link dangles */
        leaq    renamed(%rip), %rsi
        SYS     82
        CHECK   9
        leaq    file(%rip), %rdi
        SYS     87
        CHECK   9
        leaq    link(%rip), %rdi
        xorl    %esi, %esi
        SYS     2
        movl    $9, %edi
        cmpq    $-2, %rax               /* ENOENT */
        jne     fail
        leaq    dir(%rip), %rdi         /* rmdir of a non-empty directory: ENOTEMPTY */
        SYS     84
        cmpq    $-39, %rax
        jne     fail

        leaq    selfexe(%rip), %rdi     /* 10: readlink("/proc/self/exe") to stdout */
        movq    %rsp, %rsi
        movl    $255, %edx
        SYS     89
        CHECK   10
        movq    %rax, %rdx
        movb    $10, (%rsp,%rdx)
        incl    %edx
        movl    $1, %edi
        movq    %rsp, %rsi
        SYS     1

        leaq    link(%rip), %rdi        /* 11: clean up: unlink d/l, d/g; rmdir d */
        SYS     87
        CHECK   11
        leaq    renamed(%rip), %rdi
        SYS     87
        CHECK   11
        leaq    dir(%rip), %rdi
        SYS     84
        CHECK   11
        PRINT   done, done_len
        xorl    %edi, %edi
fail:
        movl    $231, %eax
        syscall
        ud2

        .section .rodata
dir:     .asciz "d"
file:    .asciz "d/f"
f:       .asciz "f"
link:    .asciz "d/l"
hard:    .asciz "d/h"
renamed: .asciz "d/g"
selfexe: .asciz "/proc/self/exe"
text:    .ascii "hello vfs\n"
         .set text_len, . - text
piped:   .ascii "through a pipe\n"
         .set piped_len, . - piped
done:    .ascii "done\n"
         .set done_len, . - done
        .section .note.GNU-stack,"",@progbits
