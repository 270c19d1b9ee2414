// The egress log: the last calls that left the machine, newest first.
import type { EgressEvent } from '../lib/api'
import { Resource } from './resource.svelte'

/** How many calls the screen shows. */
export const EGRESS_LIMIT = 200

export interface EgressIO {
  log(limit: number): Promise<EgressEvent[]>
}

export class EgressStore {
  readonly log: Resource<EgressEvent[]>

  constructor(io: EgressIO) {
    this.log = new Resource(async () => (await io.log(EGRESS_LIMIT)) ?? [])
  }

  get events(): EgressEvent[] {
    return this.log.data ?? []
  }

  load(): Promise<void> {
    return this.log.load()
  }
}
