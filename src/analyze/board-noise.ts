/*! How much the board's own counters move with nobody leaking, and which memory the kernel
 * gives back by itself (docs/trend.md, "Noise of the board's counters"). Pure numbers, shared
 * by trend's board verdicts and compare's board section.
 *
 * kswapd wakes when a zone's free pages fall below its low watermark and reclaims until they
 * pass the high one (mm/vmscan.c); the gap between the two is max(min_free_kbytes / 4,
 * managed pages x watermark_scale_factor / 10000) (mm/page_alloc.c, __setup_per_zone_wmarks,
 * Linux 4.6+), with min_free_kbytes = sqrt(16 x lowmem kB) (init_per_zone_wmark_min) and
 * watermark_scale_factor 10 by default: 0.1 %. Each reclaim cycle moves MemFree, the page
 * cache and reclaimable slab by that gap. The first term is below 1 MiB on every board of
 * 1 GiB or less and the second above it on larger ones (they meet at 1 GiB), so the gap is at
 * most max(1 MiB, 0.1 % of MemTotal): the board noise. */

const FLOOR = 1 << 20;
const SHARE = 0.001;

/** The noise of a board counter (meminfo bytes): max(`noise`, 1 MiB, 0.1 % of MemTotal). */
export function boardNoise(memTotal: number | null | undefined, noise: number): number {
  return Math.max(noise, FLOOR, Math.ceil((memTotal ?? 0) * SHARE));
}

/**
 * Slab caches the kernel creates with SLAB_RECLAIM_ACCOUNT (their pages count in
 * SReclaimable, and shrinkers free their unused objects under memory pressure): the dentry and
 * inode caches (fs/dcache.c, fs/inode.c, every filesystem's NAME_inode_cache, sock_inode_cache
 * in net/socket.c), buffer_head (fs/buffer.c), radix_tree_node (lib/radix-tree.c), mbcache and
 * the kmalloc-rcl-SIZE caches (KMALLOC_RECLAIM, 4.20+). shmem_inode_cache is not one (mm/shmem.c
 * creates it with SLAB_ACCOUNT only: a tmpfs inode holds its pages). Objects still in use (the
 * dentry and inode of an open fd) are not freed: an fd leak grows these caches for good.
 */
export function reclaimableCache(name: string): boolean {
  if (name === 'shmem_inode_cache') return false;
  return name === 'dentry' || name === 'inode_cache' || name.endsWith('_inode_cache') || name === 'buffer_head' ||
    name === 'radix_tree_node' || name === 'mbcache' || name.startsWith('kmalloc-rcl-');
}
