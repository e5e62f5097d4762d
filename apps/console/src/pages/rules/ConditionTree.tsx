import {
  closestCenter,
  DndContext,
  KeyboardSensor,
  MeasuringStrategy,
  PointerSensor,
  pointerWithin,
  useDroppable,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
} from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { createContext, useContext, useId, useMemo, useState, type ReactNode } from 'react';
import {
  CASE_OPS,
  newComparison,
  newGroup,
  newRaw,
  OPERATOR_LABELS,
  type ComparisonNode,
  type ConditionNode,
  type FieldOption,
  type GroupNode,
  type Operator,
  type RawNode,
} from './rule-model';
import { addChild, containsNode, findNode, findParent, moveNode, moveWithin, removeNode, updateNode } from './condition-edits';
import { ENVELOPE_FIELDS, operatorsFor, valueForOperator } from './schema-fields';
import { ValueEditor } from './ValueEditor';

interface TreeContext {
  fields: FieldOption[];
  issues: Record<string, string[]>;
  labels: Map<string, string>;
  apply(change: (root: GroupNode) => GroupNode): void;
}

const Tree = createContext<TreeContext | null>(null);

function useTree(): TreeContext {
  const tree = useContext(Tree);
  if (!tree) throw new Error('outside ConditionTree');
  return tree;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What a node is called on screen and by screen readers: "condition 2.1", "group 3", "expression 1". */
function nodeLabel(node: ConditionNode, number: string): string {
  return `${node.kind === 'comparison' ? 'condition' : node.kind === 'group' ? 'group' : 'expression'} ${number}`;
}

function labelTree(root: GroupNode): Map<string, string> {
  const labels = new Map<string, string>();
  const walk = (group: GroupNode, prefix: string) =>
    group.children.forEach((child, i) => {
      const number = `${prefix}${i + 1}`;
      labels.set(child.id, nodeLabel(child, number));
      if (child.kind === 'group') walk(child, `${number}.`);
    });
  walk(root, '');
  return labels;
}

const END = 'end:';

/**
 * The condition tree: groups (all / any, negated or not) holding comparisons,
 * raw JSON Logic expressions and more groups, to any depth. Nodes move with
 * their Move up / Move down buttons, or by dragging their handle (pointer, or
 * keyboard: Space to lift, arrows to move, Space to drop) onto another node or
 * onto the end of any group.
 */
export function ConditionTree({
  root,
  onChange,
  fields,
  issues,
}: {
  root: GroupNode;
  onChange(root: GroupNode): void;
  fields: FieldOption[];
  issues: Record<string, string[]>;
}) {
  const labels = useMemo(() => labelTree(root), [root]);
  const context = useMemo<TreeContext>(() => ({ fields, issues, labels, apply: (change) => onChange(change(root)) }), [fields, issues, labels, onChange, root]);
  const sensors = useSensors(useSensor(PointerSensor), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));

  // Over nested droppables the innermost one wins, and a group is never dropped into itself.
  const collision: CollisionDetection = (args) => {
    const active = findNode(root, String(args.active.id));
    const droppableContainers = args.droppableContainers.filter((c) => {
      const id = String(c.id);
      const target = id.startsWith(END) ? id.slice(END.length) : id;
      return id === String(args.active.id) || !active || !containsNode(active, target);
    });
    const within = pointerWithin({ ...args, droppableContainers });
    if (within.length > 0) {
      const area = (id: string | number) => {
        const r = args.droppableRects.get(id);
        return r ? r.width * r.height : Infinity;
      };
      return [within.reduce((best, c) => (area(c.id) < area(best.id) ? c : best))];
    }
    return closestCenter({ ...args, droppableContainers });
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || over.id === active.id) return;
    const overId = String(over.id);
    if (overId.startsWith(END)) {
      const group = findNode(root, overId.slice(END.length));
      if (group?.kind === 'group') onChange(moveNode(root, String(active.id), group.id, group.children.length));
      return;
    }
    const at = findParent(root, overId);
    if (at) onChange(moveNode(root, String(active.id), at.parent.id, at.index));
  };

  const describe = (id: string | number | undefined) =>
    id === undefined ? '' : id.toString().startsWith(END) ? `the end of ${groupName(id.toString().slice(END.length))}` : (labels.get(String(id)) ?? '');
  const groupName = (id: string) => (id === root.id ? 'the conditions' : (labels.get(id) ?? 'a group'));
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${describe(active.id)}.`,
    onDragOver: ({ active, over }) =>
      capital(over ? `${describe(active.id)} is over ${describe(over.id)}.` : `${describe(active.id)} is over no place to drop.`),
    onDragEnd: ({ active, over }) => capital(over ? `${describe(active.id)} was dropped at ${describe(over.id)}.` : `${describe(active.id)} was dropped back.`),
    onDragCancel: ({ active }) => `Moving ${describe(active.id)} was cancelled.`,
  };

  return (
    <Tree.Provider value={context}>
      <DndContext
        sensors={sensors}
        collisionDetection={collision}
        measuring={{ droppable: { strategy: MeasuringStrategy.Always } }}
        onDragEnd={onDragEnd}
        accessibility={{ announcements }}
      >
        <GroupBody group={root} number="" />
      </DndContext>
    </Tree.Provider>
  );
}

/** A group's own settings, its children and the buttons adding more: the root's too. */
function GroupBody({ group, number }: { group: GroupNode; number: string }) {
  const tree = useTree();
  const matchId = useId();
  const isRoot = number === '';
  const suffix = isRoot ? '' : ` to group ${number}`;
  const { setNodeRef, isOver } = useDroppable({ id: `${END}${group.id}` });
  const setGroup = (change: Partial<GroupNode>) => tree.apply((r) => updateNode<GroupNode>(r, group.id, (g) => ({ ...g, ...change })));
  const add = (node: ConditionNode) => tree.apply((r) => addChild(r, group.id, node));
  const empty = group.children.length === 0;
  return (
    <div className="rules-group-body">
      {(!isRoot || !empty) && (
        <div className="row rules-group-settings">
          <label htmlFor={matchId}>Match</label>
          <select id={matchId} value={group.match} onChange={(e) => setGroup({ match: e.target.value as GroupNode['match'], bare: false })}>
            <option value="all">All of these</option>
            <option value="any">Any of these</option>
          </select>
          <label className="rules-check">
            <input type="checkbox" checked={group.not} onChange={(e) => setGroup({ not: e.target.checked })} />
            Not
          </label>
          <span className="muted">{describeGroup(group)}</span>
        </div>
      )}
      <Issues messages={tree.issues[group.id]} />
      <SortableContext items={group.children.map((c) => c.id)} strategy={verticalListSortingStrategy}>
        <ul className="rules-nodes">
          {group.children.map((child, i) => (
            <SortableNode key={child.id} node={child} number={`${number}${number ? '.' : ''}${i + 1}`} first={i === 0} last={i === group.children.length - 1} />
          ))}
        </ul>
      </SortableContext>
      <div ref={setNodeRef} className={`rules-dropzone${isOver ? ' rules-dropzone-over' : ''}`}>
        {empty && (isRoot ? 'No conditions: the rule runs for every event of its trigger.' : 'This group is empty: add a condition, or drop one here.')}
      </div>
      <div className="row rules-add">
        <button type="button" onClick={() => add(newComparison())}>
          Add condition{suffix}
        </button>
        <button type="button" onClick={() => add(newGroup())}>
          Add group{suffix}
        </button>
        <button type="button" onClick={() => add(newRaw())}>
          Add JSON Logic expression{suffix}
        </button>
      </div>
    </div>
  );
}

function describeGroup(group: GroupNode): string {
  if (group.match === 'all') return group.not ? 'Holds unless every one of them holds.' : 'Every one of them must hold.';
  return group.not ? 'Holds when none of them holds.' : 'At least one of them must hold.';
}

function SortableNode({ node, number, first, last }: { node: ConditionNode; number: string; first: boolean; last: boolean }) {
  const tree = useTree();
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: node.id });
  const label = nodeLabel(node, number);
  const title = capital(label);
  return (
    <li
      ref={setNodeRef}
      className={`rules-node rules-node-${node.kind}${isDragging ? ' rules-dragging' : ''}`}
      style={{ transform: CSS.Translate.toString(transform), transition }}
    >
      <div role="group" aria-label={title}>
        <div className="rules-node-head">
          <button type="button" className="rules-handle" ref={setActivatorNodeRef} {...attributes} {...listeners} aria-label={`Drag ${label}`}>
            <span aria-hidden="true">⠿</span>
          </button>
          <span className="rules-node-title">{title}</span>
          <div className="rules-node-tools">
            <button type="button" disabled={first} onClick={() => tree.apply((r) => moveWithin(r, node.id, -1))}>
              Move up<span className="rules-sr"> {label}</span>
            </button>
            <button type="button" disabled={last} onClick={() => tree.apply((r) => moveWithin(r, node.id, 1))}>
              Move down<span className="rules-sr"> {label}</span>
            </button>
            <button type="button" className="danger" onClick={() => tree.apply((r) => removeNode(r, node.id))}>
              Remove<span className="rules-sr"> {label}</span>
            </button>
          </div>
        </div>
        {node.kind === 'comparison' && <ComparisonEditor node={node} />}
        {node.kind === 'raw' && <RawEditor node={node} />}
        {node.kind === 'group' && <GroupBody group={node} number={number} />}
        {node.kind !== 'group' && <Issues messages={tree.issues[node.id]} />}
      </div>
    </li>
  );
}

const OTHER = '(other path)';

function ComparisonEditor({ node }: { node: ComparisonNode }) {
  const tree = useTree();
  const ids = { field: useId(), op: useId(), path: useId() };
  const known = useMemo(() => [...ENVELOPE_FIELDS, ...tree.fields], [tree.fields]);
  const field = known.find((f) => f.path === node.path);
  const [typing, setTyping] = useState(false);
  const custom = typing || (node.path !== '' && !field);
  const set = (change: Partial<ComparisonNode>) => tree.apply((r) => updateNode<ComparisonNode>(r, node.id, (c) => ({ ...c, ...change })));

  const pickField = (path: string) => {
    if (path === OTHER) return setTyping(true);
    setTyping(false);
    const next = known.find((f) => f.path === path);
    const ops = operatorsFor(next);
    const op = ops.includes(node.op) ? node.op : ops[0];
    set({ path, op, value: valueForOperator(undefined, op) });
  };
  const pickOp = (op: Operator) => set({ op, value: valueForOperator(node.value, op) });
  const caseMatters =
    node.ignoreCase !== undefined || (CASE_OPS.includes(node.op) && (field === undefined || field.type === 'string' || field.type === 'array'));

  return (
    <div className="rules-comparison">
      <div className="rules-value">
        <label htmlFor={ids.field}>Field</label>
        <select id={ids.field} value={custom ? OTHER : node.path} onChange={(e) => pickField(e.target.value)}>
          {node.path === '' && !custom && <option value="">Choose a field…</option>}
          <optgroup label="Event">
            {ENVELOPE_FIELDS.map((f) => (
              <option key={f.path} value={f.path}>
                {f.path}
              </option>
            ))}
          </optgroup>
          {tree.fields.length > 0 && (
            <optgroup label="Data">
              {tree.fields.map((f) => (
                <option key={f.path} value={f.path}>
                  {f.path} ({f.enum ? 'one of a list' : f.type})
                </option>
              ))}
            </optgroup>
          )}
          <option value={OTHER}>Other path…</option>
        </select>
        {field?.description && <small className="muted">{field.description}</small>}
      </div>
      {custom && (
        <div className="rules-value">
          <label htmlFor={ids.path}>Path</label>
          <input id={ids.path} value={node.path} placeholder="data.customer.tier" onChange={(e) => set({ path: e.target.value })} />
          {node.path !== '' && !field && <small className="rules-note">Not a field of the trigger&apos;s schema.</small>}
        </div>
      )}
      <div className="rules-value">
        <label htmlFor={ids.op}>Operator</label>
        <select id={ids.op} value={node.op} onChange={(e) => pickOp(e.target.value as Operator)}>
          {operatorsFor(field, node.op).map((op) => (
            <option key={op} value={op}>
              {OPERATOR_LABELS[op]}
            </option>
          ))}
        </select>
      </div>
      <ValueEditor field={field} op={node.op} value={node.value} onChange={(value) => set({ value })} />
      {caseMatters && (
        <label className="rules-check rules-case">
          <input
            type="checkbox"
            checked={node.ignoreCase === true}
            onChange={(e) => set({ ignoreCase: e.target.checked ? true : node.ignoreCase === undefined ? undefined : false })}
          />
          Ignore case
        </label>
      )}
    </div>
  );
}

function RawEditor({ node }: { node: RawNode }) {
  const tree = useTree();
  const id = useId();
  let problem: string | null = null;
  try {
    JSON.parse(node.text);
  } catch (error) {
    problem = (error as Error).message;
  }
  return (
    <div className="field">
      <label htmlFor={id}>JSON Logic expression</label>
      <textarea
        id={id}
        value={node.text}
        spellCheck={false}
        aria-invalid={problem ? true : undefined}
        aria-describedby={`${id}-hint`}
        onChange={(e) => tree.apply((r) => updateNode<RawNode>(r, node.id, (n) => ({ ...n, text: e.target.value })))}
      />
      <small id={`${id}-hint`} className={problem ? 'field-error' : 'hint'}>
        {problem ? `Not valid JSON: ${problem}` : 'Raw JSON Logic, kept as written: comparisons as "hl:<operator>", no loops.'}
      </small>
    </div>
  );
}

export function Issues({ messages }: { messages: string[] | undefined }): ReactNode {
  if (!messages?.length) return null;
  return (
    <ul className="rules-issues">
      {messages.map((m) => (
        <li key={m} className="field-error">
          {m}
        </li>
      ))}
    </ul>
  );
}
