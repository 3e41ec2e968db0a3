/*! The raw capture a collector returns (sections of text, verbatim) and what the
 * parsers make of it. Types only. */
import type { Vma } from './vma.js';

/** Names of the capture sections (see docs/capture-format.md). */
export type SectionName =
  | 'uname' | 'uptime' | 'ulimit-s' | 'meminfo' | 'boot_id' | 'processes'
  | 'max_map_count' | 'file-nr' | 'slabinfo' | 'buddyinfo' | 'mounts' | 'df'
  | 'stat' | 'status' | 'limits' | 'maps' | 'smaps' | 'smaps_rollup' | 'cmdline' | 'fds';

export type SectionStatus = 'ok' | 'missing' | 'gone' | 'denied';

/** One section of text exactly as the board printed it. Per-process sections carry a pid. */
export interface RawSection {
  name: SectionName;
  pid?: number;
  /** `missing`: the file does not exist on this board; `gone`: the process exited mid-capture;
   * `denied`: the file is there but the capturing user may not read it. */
  status: SectionStatus;
  /** The text, decoded as UTF-8. */
  text: string;
  /** The exact bytes, base64, present only when they are not valid UTF-8 (so `text` had to
   * replace some): the board's words are kept verbatim either way. */
  bytes?: string;
}

/** What a collector returns: the sections, plus the names of processes it found when none matched. */
export interface RawCapture {
  sections: RawSection[];
  /** How the remote shell ended (SSH): a complete capture from a shell that exited non-zero is kept, and says so. */
  remoteExit?: RemoteExit;
  /** Format 4: the remote shell's pid and its parent's, for the host to take the capture's own
   * SSH session out of `--all` (parse/capture-session.ts); never stored. */
  session?: { shell: number; parent: number };
}

/** The exit status of the remote command, or the signal that ended it. */
export interface RemoteExit {
  code: number | null;
  signal?: string;
}

export interface MeminfoEntry {
  /** The number as printed. */
  value: number;
  /** `kB` or '' (unit-less lines such as HugePages_Total). */
  unit: string;
}
export type Meminfo = Record<string, MeminfoEntry>;

/** /proc/PID/stat, the fields mapsdiff uses. */
export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  /** Field 22: start time in clock ticks after boot. */
  startTime: number;
  /** Field 20. */
  numThreads: number;
  /** Field 23, bytes. */
  vsize: number;
  /** Field 24, pages. */
  rss: number;
}

/** /proc/PID/limits: the Max stack size row, in bytes (null = unlimited). */
export interface ProcLimits {
  stackSoft: number | null;
  stackHard: number | null;
  /** The Max open files row (RLIMIT_NOFILE), when the table has one; null = unlimited. */
  nofileSoft?: number | null;
  nofileHard?: number | null;
}

/** One row of /proc/slabinfo (version 2.x). */
export interface SlabCache {
  name: string;
  activeObjs: number;
  numObjs: number;
  /** Bytes per object. */
  objSize: number;
  pagesPerSlab: number;
  numSlabs: number;
  /** numObjs * objSize: the cache's objects, without per-slab slack (the page size is not captured). */
  bytes: number;
}

/** One line of /proc/buddyinfo: free blocks of 2^order pages, order 0 first. */
export interface BuddyZone {
  node: number;
  zone: string;
  free: number[];
}

/** A tmpfs mount from /proc/mounts, with its usage from `df` (bytes) when the board had df. */
export interface TmpfsMount {
  device: string;
  mountPoint: string;
  /** The size= option, bytes, when /proc/mounts shows one. */
  sizeOption?: number;
  size?: number;
  used?: number;
  available?: number;
}

/** /proc/sys/fs/file-nr: file handles allocated, allocated but unused, and the maximum. */
export interface FileNr {
  allocated: number;
  unused: number;
  max: number;
}

/** One VMA's block of /proc/PID/smaps, sizes in bytes. */
export interface SmapsEntry {
  start: number;
  end: number;
  rss: number;
  pss: number;
  privateClean: number;
  privateDirty: number;
  sharedClean: number;
  sharedDirty: number;
  swap: number;
  /** SwapPss (kernel 4.15+); absent on older kernels. */
  swapPss?: number;
}

export interface ParsedProcess {
  pid: number;
  /** comm from stat or status (Name:), else '' */
  name: string;
  /** stat field 22, when stat was captured */
  startTime: number | null;
  vmas: Vma[];
  stat?: ProcStat;
  /** /proc/PID/status as key -> value text (e.g. VmRSS -> '1234 kB'). */
  status?: Record<string, string>;
  limits?: ProcLimits;
  smaps?: SmapsEntry[];
  /** /proc/PID/smaps_rollup: the process's totals as one entry (start-end spans all VMAs). */
  smapsRollup?: SmapsEntry;
  cmdline?: string;
  /** The first word of cmdline (argv[0]), when captured and not empty. */
  argv0?: string;
  /** Open file descriptors (entries of /proc/PID/fd), when they could be counted. */
  fds?: number;
  /** Sections the board did not have for this process, and whether it exited mid-capture. */
  missing: string[];
  /** Sections the capturing user was not allowed to read (another user's process, a hardened kernel). */
  denied: string[];
  gone: boolean;
}

export interface ParsedCapture {
  uname?: string;
  /** Seconds since boot (/proc/uptime first field). */
  uptime?: number;
  /** /proc/sys/kernel/random/boot_id, lower-case: a new id is a new boot. */
  bootId?: string;
  /** `ulimit -s` in bytes; null = unlimited; undefined = not captured. */
  ulimitStack?: number | null;
  meminfo?: Meminfo;
  /** /proc/sys/vm/max_map_count: the most VMAs one process may have. */
  maxMapCount?: number;
  fileNr?: FileNr;
  slabinfo?: SlabCache[];
  buddyinfo?: BuddyZone[];
  /** tmpfs mounts (from the `mounts` section), usage merged from `df`. */
  tmpfs?: TmpfsMount[];
  /** Board-wide sections the board did not have (`missing`) or would not let the user read (`denied`, e.g. slabinfo as non-root). */
  boardMissing?: string[];
  boardDenied?: string[];
  processes: ParsedProcess[];
  /** Lines skipped with --lenient, as `source:line: text`. */
  skipped: string[];
  /** How many of `skipped` left their whole section out with them (parse/index SECTION_LEFT_OUT), not just the line. */
  sectionsLeftOut?: number;
}
