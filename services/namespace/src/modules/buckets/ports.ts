import type { ObjectStore } from "@strata/objectstore";
import type { NamespacePorts } from "../../shared/ports.js";

/** What buckets and objects need: the namespace ports, the object bytes' store and its limit. */
export interface BucketPorts extends NamespacePorts {
  readonly objects: ObjectStore;
  /** Uploads past this many bytes are refused while they stream in. */
  readonly maxObjectBytes: number;
}
