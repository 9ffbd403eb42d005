// The scripting API's view of hosts: what hatch knows and what is installed here.
import { HOSTS } from "../hosts/registry.ts";
import { readHost } from "../store/hostfile.ts";
import { hostInfo, resolveTargets } from "../store/targets.ts";
import { defaultWorkspace, type Workspace } from "../store/workspace.ts";
import type { Server } from "../core/model.ts";

export interface HostSummary {
  id: string;
  label: string;
  path: string | undefined;
  installed: boolean;
}

export const hosts = {
  /** Every built-in host, with its path on this OS and whether it is installed. */
  list(ws: Workspace = defaultWorkspace()): HostSummary[] {
    return HOSTS.map((h) => {
      const i = hostInfo(h, ws.ctx, ws.system);
      return { id: h.id, label: h.label, path: i.path, installed: i.installed };
    });
  },
  /** The servers one host (built-in, custom host) holds now. */
  async servers(name: string, ws: Workspace = defaultWorkspace()): Promise<Map<string, Server>> {
    const [t] = resolveTargets(ws, name);
    if (!t) return new Map();
    return readHost(t, ws.system).servers;
  },
};
