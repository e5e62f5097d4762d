import type { ConditionNode, GroupNode } from './rule-model';

/** Edits of the builder's condition tree, each returning a new tree (React state is never changed in place). */
export function findNode(root: GroupNode, id: string): ConditionNode | undefined {
  if (root.id === id) return root;
  for (const child of root.children) {
    if (child.id === id) return child;
    if (child.kind === 'group') {
      const found = findNode(child, id);
      if (found) return found;
    }
  }
  return undefined;
}

/** The group holding `id`, and its index there. */
export function findParent(root: GroupNode, id: string): { parent: GroupNode; index: number } | undefined {
  const index = root.children.findIndex((c) => c.id === id);
  if (index >= 0) return { parent: root, index };
  for (const child of root.children) {
    if (child.kind === 'group') {
      const found = findParent(child, id);
      if (found) return found;
    }
  }
  return undefined;
}

/** Whether `id` is `node` or inside it. */
export function containsNode(node: ConditionNode, id: string): boolean {
  return node.id === id || (node.kind === 'group' && node.children.some((c) => containsNode(c, id)));
}

function mapGroups(node: GroupNode, fn: (group: GroupNode) => GroupNode): GroupNode {
  const children = node.children.map((c) => (c.kind === 'group' ? mapGroups(c, fn) : c));
  return fn(children.every((c, i) => c === node.children[i]) ? node : { ...node, children });
}

export function updateNode<N extends ConditionNode>(root: GroupNode, id: string, change: (node: N) => N): GroupNode {
  if (root.id === id) return change(root as N) as GroupNode;
  return mapGroups(root, (g) => (g.children.some((c) => c.id === id) ? { ...g, children: g.children.map((c) => (c.id === id ? change(c as N) : c)) } : g));
}

export function removeNode(root: GroupNode, id: string): GroupNode {
  return mapGroups(root, (g) => (g.children.some((c) => c.id === id) ? { ...g, children: g.children.filter((c) => c.id !== id) } : g));
}

/** A child added by the user turns a bare group into a real one: a rule built from nothing gets `{ all: [...] }`. */
export function addChild(root: GroupNode, groupId: string, node: ConditionNode): GroupNode {
  return updateNode<GroupNode>(root, groupId, (g) => ({ ...g, bare: false, children: [...g.children, node] }));
}

/** Up (-1) or down (+1) within its group; nothing at either end. */
export function moveWithin(root: GroupNode, id: string, delta: -1 | 1): GroupNode {
  const at = findParent(root, id);
  if (!at) return root;
  const to = at.index + delta;
  if (to < 0 || to >= at.parent.children.length) return root;
  return updateNode<GroupNode>(root, at.parent.id, (g) => ({ ...g, children: moveItem(g.children, at.index, to) }));
}

/**
 * Moves `id` to position `index` of group `targetId`: within its own group it takes
 * that position (as a sortable list reorders), into another group it goes before
 * the child now at `index` (the end past the last); never into itself or its own descendants.
 */
export function moveNode(root: GroupNode, id: string, targetId: string, index: number): GroupNode {
  const from = findParent(root, id);
  const node = findNode(root, id);
  if (!from || !node || containsNode(node, targetId)) return root;
  if (from.parent.id === targetId) {
    const to = Math.min(index, from.parent.children.length - 1);
    return updateNode<GroupNode>(root, targetId, (g) => ({ ...g, children: moveItem(g.children, from.index, to) }));
  }
  const without = removeNode(root, id);
  return updateNode<GroupNode>(without, targetId, (g) => {
    const children = [...g.children];
    children.splice(Math.min(index, children.length), 0, node);
    return { ...g, bare: false, children };
  });
}

export function moveItem<T>(list: T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item);
  return next;
}
