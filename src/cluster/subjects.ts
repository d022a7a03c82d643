// Every NATS subject and KV bucket sessiond uses, declared once (as nex's models/subjects.go):
// the permissions of deploy/nats-accounts.conf and the code cannot drift apart.

/** The prefix of every subject sessiond publishes or subscribes to. */
export const ROOT = 'sessiond';

/** A node's requests: the control socket's request lines, answered by the same dispatch. Served in a queue group named after the node. */
export function rpcSubject(node: string): string {
  return `${ROOT}.node.${node}.rpc`;
}

/** Asked by a daemon about to take the name `node`: any answer means the name is in use. */
export function pingSubject(node: string): string {
  return `${ROOT}.node.${node}.ping`;
}

/** Asked by a client whose request waits: the data is the request's reply subject, the answer '1' while the node holds it, else '0'. */
export function heldSubject(node: string): string {
  return `${ROOT}.node.${node}.held`;
}

/** A client that stops following a stream (Ctrl-C, its signal) says so here, giving the stream's reply subject. */
export function cancelSubject(node: string): string {
  return `${ROOT}.node.${node}.cancel`;
}

/** The queue group of a node's subscriptions: two processes serving one name would share, never duplicate, its requests. */
export function queueGroup(node: string): string {
  return `node-${node}`;
}

/** Asked on a streaming reply's own subject by the node: a client that is gone has no responder, and the stream ends. */
export function aliveSubject(reply: string): string {
  return `${reply}.alive`;
}

/** Where each node announces itself (name, sessions, room, version): one key per node, put at least every 5 s. */
export const NODES_BUCKET = 'sessiond_nodes';
/** Session id → the node that holds it, with the session as last recorded: ids claimed with kv.create, so unique cluster-wide. */
export const SESSIONS_BUCKET = 'sessiond_sessions';

/** What a node name may be: one subject token, and a KV key. */
export const NODE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

// Session ids may hold dots, which split subject tokens (a KV key is a subject): '=' stands for
// them in keys, as no session id holds one (contract/ids.ts).
export function sessionKey(id: string): string {
  return id.replaceAll('.', '=');
}

export function sessionIdOfKey(key: string): string {
  return key.replaceAll('=', '.');
}

/** Where a caller opens an exec or attach on a node (the request line; the reply subject is the caller's end of the stream). */
export function streamOpenSubject(node: string): string {
  return `${ROOT}.node.${node}.stream`;
}

/** The node's end of one exec or attach stream: the caller's stdin, acks and pings go here. */
export function streamSubject(node: string, token: string): string {
  return `${ROOT}.node.${node}.stream.${token}`;
}
