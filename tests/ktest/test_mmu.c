/* Memory protection as promised: W^X for the kernel image, device memory
 * typed as Device-nGnRE, stack guards unmapped, MMU on everywhere. */
#include "ktest.h"
#include "console.h"
#include "mmu.h"
#include "smp.h"
#include "asm/atomic.h"
#include "asm/stack.h"
#include "asm/sysreg.h"

#define EC(esr) (((esr) >> 26) & 0x3f)
#define FSC(esr) ((esr) & 0x3f)
#define PAR_FAULT 1UL
#define PAR_ATTR(par) ((par) >> 56)

static void sctlr_of(void *arg)
{
	((u64 *)arg)[smp_processor_id()] = read_sysreg(sctlr_el1);
}

static void mmu_and_caches_on_every_cpu(struct ktest *t)
{
	static u64 sctlr[NR_CPUS];
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		sctlr[cpu] = 0;		/* a call that did not run must not pass */
		KT_EXPECT_EQ(t, smp_call_function_single(cpu, sctlr_of, sctlr, true), 0);
		KT_EXPECT_EQ(t, sctlr[cpu] & (SCTLR_M | SCTLR_C | SCTLR_I), SCTLR_M | SCTLR_C | SCTLR_I);
	}
}

static void write_to(void *addr)
{
	*(volatile u32 *)addr = 0;
}

static void text_is_read_only(struct ktest *t)
{
	u64 esr = ktest_expect_fault(write_to, (void *)write_to);

	KT_EXPECT_EQ(t, EC(esr), 0x25);			/* data abort */
	KT_EXPECT_EQ(t, FSC(esr) & 0x3c, 0x0c);		/* permission fault */
}

static u32 data_code[4] __aligned(16);

static void jump_to(void *addr)
{
	((void (*)(void))addr)();
}

static void data_is_not_executable(struct ktest *t)
{
	u64 esr;

	data_code[0] = 0xd65f03c0;	/* ret */
	esr = ktest_expect_fault(jump_to, data_code);
	KT_EXPECT_EQ(t, EC(esr), 0x21);			/* instruction abort */
	KT_EXPECT_EQ(t, FSC(esr) & 0x3c, 0x0c);
}

static void read_from(void *addr)
{
	(void)*(volatile u32 *)addr;
}

static void stack_guard_is_unmapped(struct ktest *t)
{
	u64 sp = (u64)__builtin_frame_address(0);
	u64 guard = stack_base_of(sp) - 8;
	u64 esr;

	KT_EXPECT(t, mmu_probe(guard, false) & PAR_FAULT);
	esr = ktest_expect_fault(read_from, (void *)guard);
	KT_EXPECT_EQ(t, EC(esr), 0x25);
	KT_EXPECT_EQ(t, FSC(esr) & 0x3c, 0x04);		/* translation fault */
}

static void memory_types(struct ktest *t)
{
	u64 base, size, par;

	console_region(&base, &size);
	par = mmu_probe(base, false);
	KT_ASSERT(t, !(par & PAR_FAULT));
	KT_EXPECT_EQ(t, PAR_ATTR(par), 0x04);		/* Device-nGnRE */
	par = mmu_probe((u64)data_code, true);
	KT_ASSERT(t, !(par & PAR_FAULT));
	KT_EXPECT_EQ(t, PAR_ATTR(par), 0xff);		/* Normal, write-back */
	KT_EXPECT_EQ(t, (par >> 7) & 3, 3);		/* inner shareable */
}

static void all_ram_is_mapped(struct ktest *t)
{
	for (int i = 0; i < nr_mem_regions; i++) {
		u64 first = mem_regions[i].base, last = first + mem_regions[i].size - 8;

		KT_EXPECT(t, !(mmu_probe(first, false) & PAR_FAULT));
		KT_EXPECT(t, !(mmu_probe(last, false) & PAR_FAULT));
	}
}

static void check_sctlr(void *sctlr)
{
	exclusive_check_sctlr(*(u64 *)sctlr);
}

int esr_describe(u64 esr, char *buf, size_t size);

/*
 * The check in front of every LDXR/STXR (asm/atomic.h), fed SCTLR_EL1
 * values with the MMU or the data cache off: it must trap with its own
 * BRK, which the exception code names.  With the real value (the MMU is
 * on, or this boot would have stopped in smp_setup_cpus) it must not.
 */
static void exclusive_check_traps_with_mmu_off(struct ktest *t)
{
	u64 real = read_sysreg(sctlr_el1);
	u64 mmu_off = real & ~SCTLR_M, dcache_off = real & ~SCTLR_C;
	const char *what = ": exclusive access with the MMU off";
	char desc[160];
	u64 esr;
	int n;

	KT_ASSERT(t, mmu_on_this_cpu());
	KT_EXPECT_EQ(t, ktest_expect_fault(check_sctlr, &real), 0);
	esr = ktest_expect_fault(check_sctlr, &mmu_off);
	KT_EXPECT_EQ(t, EC(esr), 0x3c);			/* BRK */
	KT_EXPECT_EQ(t, esr & 0xffff, BRK_EXCLUSIVE_MMU_OFF);
	n = esr_describe(esr, desc, sizeof(desc));
	KT_ASSERT(t, n > (int)strlen(what));
	KT_EXPECT_STREQ(t, desc + n - strlen(what), what);
	esr = ktest_expect_fault(check_sctlr, &dcache_off);
	KT_EXPECT_EQ(t, EC(esr), 0x3c);
	KT_EXPECT_EQ(t, esr & 0xffff, BRK_EXCLUSIVE_MMU_OFF);
}

KTEST_SUITE(mmu,
	KTEST_CASE(mmu_and_caches_on_every_cpu),
	KTEST_CASE(text_is_read_only),
	KTEST_CASE(data_is_not_executable),
	KTEST_CASE(stack_guard_is_unmapped),
	KTEST_CASE(memory_types),
	KTEST_CASE(all_ram_is_mapped),
	KTEST_CASE(exclusive_check_traps_with_mmu_off));
