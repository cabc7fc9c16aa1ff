import type { Coalition } from './coalition.js';

/**
 * Who a picture is for (DESIGN.md §6): one member in one module. A member of two modules is two
 * audiences, each with that module's outputs.
 */
export interface Audience {
  readonly module: string;
  readonly member: string;
}

/** Every audience of the coalition, by module name then member id. */
export function audiencesOf(coalition: Coalition): Audience[] {
  return coalition.modules.flatMap((module) =>
    module.members.map((member) => ({ module: module.name, member })),
  );
}
