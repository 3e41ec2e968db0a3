/*! `mapsdiff show`'s yargs spec as data: its name and positionals, what it does, its options. Light to
 * import (no handler, nothing heavy): main.ts registers it, completion and the man page read it;
 * the handler in ../commands/show.ts is loaded only when the command runs. */
import type { Argv } from 'yargs';
import type { ShowSort } from '../../render/show-text.js';
import { CEILING_HELP } from '../options.js';

const SORTS: ShowSort[] = ['address', 'size', 'rss', 'pss', 'uss'];

export const showSpec = {
  command: 'show [name]',
  describe: 'show one snapshot: regions, kinds, owners, free gaps, stack headroom',
  builder: (y: Argv) =>
    y
      .positional('name', { type: 'string', default: 'latest', describe: 'snapshot name, latest or latest~N' })
      .option('pid', { type: 'number', array: true, describe: 'only this process (repeatable)' })
      .option('csv', { type: 'boolean', describe: "CSV: the seed script's columns, then kind, owner, perms, offset, dev, inode" })
      .option('json', { type: 'boolean', describe: 'JSON (documented in the README)' })
      .option('map', { type: 'boolean', describe: 'a compact colored bar of the address space with a legend, instead of the table' })
      .option('ceiling', { type: 'string', describe: CEILING_HELP })
      .option('sort', { type: 'string', choices: SORTS, default: 'address', describe: 'order of the table: by address (with the free gaps), or largest first by size, rss, pss or uss (uss and pss need --smaps at capture)' })
      .conflicts('csv', 'json')
      .conflicts('map', ['csv', 'json']),
};
