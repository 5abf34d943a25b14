/**
 * @module cni/ipam/store
 * The directory host-local keeps per network (`<dataDir>/<name>`): one
 * file per address named by the address, `last_reserved_ip.<n>`, and the
 * `lock` file. The plugin logic sees it only through IpamStore, so the
 * model keeps it in a Map and the real CNI executable on disk.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** One network's directory: flat, files only. */
export interface IpamStore {
  /** A file's contents, or null when it does not exist. */
  read(name: string): string | null;
  write(name: string, data: string): void;
  remove(name: string): void;
  /** The file names, in any order. */
  list(): string[];
}

/** host-local's default `dataDir`. */
export const DEFAULT_DATA_DIR = "/var/lib/cni/networks";

/** A store held in memory; `files` is exposed so a model can show or snapshot it. */
export function memoryIpamStore(files: Map<string, string> = new Map()): IpamStore & {
  files: Map<string, string>;
} {
  return {
    files,
    read: (name) => files.get(name) ?? null,
    write: (name, data) => void files.set(name, data),
    remove: (name) => void files.delete(name),
    list: () => [...files.keys()],
  };
}

/**
 * A store on disk at `<dataDir>/<network>` (dataDir "" meaning the
 * default), created on first write as disk.New does with MkdirAll.
 */
export function fsIpamStore(dataDir: string, network: string): IpamStore {
  const dir = join(dataDir || DEFAULT_DATA_DIR, network);
  const isNotFound = (e: unknown) => (e as NodeJS.ErrnoException | null)?.code === "ENOENT";
  return {
    read(name) {
      try {
        return readFileSync(join(dir, name), "utf8");
      } catch (e) {
        if (isNotFound(e)) return null;
        throw e;
      }
    },
    write(name, data) {
      mkdirSync(dir, { recursive: true, mode: 0o755 });
      // The lock file is created 0750 by the reference, the address files 0644.
      writeFileSync(join(dir, name), data, { mode: name === "lock" ? 0o750 : 0o644 });
    },
    remove(name) {
      rmSync(join(dir, name), { force: true });
    },
    list() {
      try {
        return readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile());
      } catch (e) {
        if (isNotFound(e)) return [];
        throw e;
      }
    },
  };
}
