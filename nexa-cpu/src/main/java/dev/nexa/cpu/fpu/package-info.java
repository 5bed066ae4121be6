/**
 * Software x87: the 80-bit double-extended format (Intel SDM Vol. 1 §4.2, §8) exact to the bit, for
 * the x87 instruction handlers of the interpreter.
 *
 * <ul>
 *   <li>{@link dev.nexa.cpu.fpu.Ext80}: mutable register value (also the m80fp image);
 *       {@link dev.nexa.cpu.fpu.MemoryValue}: mutable raw memory operand for stores.</li>
 *   <li>{@link dev.nexa.cpu.fpu.X87Arith}: FADD/FSUB/FMUL/FDIV (PC and RC), FSQRT, FCOM/FUCOM/FCOMI/
 *       FTST, FXAM, FRNDINT, FPREM/FPREM1, FSCALE, FXTRACT.</li>
 *   <li>{@link dev.nexa.cpu.fpu.X87Convert}: m32fp/m64fp/m80fp, m16/m32/m64 integers (FIST, FISTTP),
 *       m80bcd.</li>
 *   <li>{@link dev.nexa.cpu.fpu.X87Constants}: FLD1 ... FLDZ, rounded per RC.</li>
 *   <li>{@link dev.nexa.cpu.fpu.X87Transcendental}: FSIN, FCOS, FSINCOS, FPTAN, FPATAN, F2XM1, FYL2X,
 *       FYL2XP1 (allocate; everything else does not): the fallback, see below.</li>
 *   <li>{@link dev.nexa.cpu.fpu.host.HostX87}: the same eight on the host's own FPU.</li>
 *   <li>{@link dev.nexa.cpu.fpu.X87Status}: the flag bits every operation returns, control-word
 *       helpers.</li>
 * </ul>
 *
 * <p>Reference: the host CPU. Every operation except the transcendentals agrees bit for bit (result,
 * exception flags, condition codes) with the development host's x87 (AMD EPYC, Zen 3 or later) on
 * jqwik-generated operands biased to edge values, under all precision and rounding controls,
 * reserved PC = 01 included (it behaves as 64 bits). Behaviours learnt from the host where the SDM is
 * silent or says otherwise: DE is not reported together with IE or ZE; stores (FST, FIST, FBSTP) raise
 * no DE for denormal sources; FPREM/FPREM1 reduce by 32 + (D mod 32) bits when incomplete and then
 * leave C0/C1/C3 clear; the trigonometric functions reduce modulo the 66-bit pi.
 *
 * <p>The transcendentals run on the host FPU when the host is x86-64. The requirement is to match the
 * host bit for bit, and the hardware computes them with an undocumented table-and-polynomial method
 * (AMD's and Intel's differ, SDM Vol. 1 §8.3.10 only promises 1 ulp): the correctly rounded
 * {@code X87Transcendental} (with the hardware's 66-bit pi for the reduction, and a 69-bit inner
 * chop fitted to FYL2X) matches an AMD host in 97-99% of random operands, FPTAN in about 80% (mostly
 * C1), and those last-bit differences show in libm's logl/expl/atan2l/powl output. {@link
 * dev.nexa.cpu.fpu.host.HostX87} executes the instruction itself in a native stub under the guest's
 * control word and returns the result and FSW flags in this package's convention, so the handlers'
 * stack, tag and exception bookkeeping is the same for both. The software version remains for other
 * hosts, when native access fails, and on request ({@code -Dnexa.x87.soft=true}).
 *
 * <p>Out of scope, left to the handlers: the register stack (TOP, tags, stack faults SF and C1 for
 * them), FSW.ES/B and delivering #MF, the FPU instruction/operand pointers. Unmasked exceptions are
 * modelled only as far as the register result goes: pre-computation IE/DE/ZE leave the destination
 * unchanged; OE/UE deliver the exponent-adjusted result (SDM Vol. 1 §8.5.4-5), or ∞ / a signed zero
 * when even the adjusted exponent is out of range (FSCALE). These responses are checked against the
 * host for FADD, FSUB, FMUL, FDIV, FSCALE, FPREM, FSQRT and FRNDINT; for stores and the
 * transcendentals they follow the same rules untested.
 */
package dev.nexa.cpu.fpu;
