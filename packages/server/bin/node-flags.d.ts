/** The Node flags `argentum-server` starts the server with. */
export declare const DEFAULT_NODE_FLAGS: string;
/** The flags of `wanted` (default: `ARGENTUM_NODE_FLAGS`, else the defaults) this Node was not already given. */
export declare function nodeFlagsToAdd(wanted?: string): string[];
