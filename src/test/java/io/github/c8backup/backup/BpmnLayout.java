package io.github.c8backup.backup;

import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.instance.Activity;
import io.camunda.zeebe.model.bpmn.instance.BaseElement;
import io.camunda.zeebe.model.bpmn.instance.BoundaryEvent;
import io.camunda.zeebe.model.bpmn.instance.Event;
import io.camunda.zeebe.model.bpmn.instance.ExclusiveGateway;
import io.camunda.zeebe.model.bpmn.instance.FlowNode;
import io.camunda.zeebe.model.bpmn.instance.Gateway;
import io.camunda.zeebe.model.bpmn.instance.Process;
import io.camunda.zeebe.model.bpmn.instance.SequenceFlow;
import io.camunda.zeebe.model.bpmn.instance.StartEvent;
import io.camunda.zeebe.model.bpmn.instance.SubProcess;
import io.camunda.zeebe.model.bpmn.instance.bpmndi.BpmnEdge;
import io.camunda.zeebe.model.bpmn.instance.bpmndi.BpmnLabel;
import io.camunda.zeebe.model.bpmn.instance.bpmndi.BpmnShape;
import io.camunda.zeebe.model.bpmn.instance.dc.Bounds;
import io.camunda.zeebe.model.bpmn.instance.di.Waypoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;

/**
 * Replaces the fluent builder's diagram (which neither grows embedded sub-processes nor separates
 * branches) with a deterministic grid that Operate can show readably. Only BPMN DI is touched:
 * shape bounds, label bounds and edge waypoints; the process semantics stay as built.
 *
 * <p>The grid, per container (process or embedded sub-process), from its first start event:
 *
 * <ul>
 *   <li>the main flow runs left to right on one centre line;
 *   <li>a split gateway's branches become horizontal lanes, the first on the centre line, the
 *       others below it (the default flow last), all meeting in the join gateway; a branch of a
 *       single element (the "skipped" events) sits centred under the other branch; a branch
 *       straight to the join (no elements) is the centre lane;
 *   <li>a branch that ends without joining (an end event, as for a rejection) is a further lane
 *       below the joining ones; when only one branch goes on, it stays on the centre line and the
 *       ending branch starts directly below the gateway and runs right, like a boundary path;
 *   <li>a branch that loops back to an earlier element (the poll timer) sits below, between the
 *       element it returns to and the gateway it leaves;
 *   <li>a boundary event sits on the bottom edge of its host, its path starts directly below it
 *       and runs right;
 *   <li>further start events stand below the first one;
 *   <li>an embedded sub-process is laid out the same way inside and grows to hold its content;
 *       its centre line continues the outer one so the main flow stays straight.
 * </ul>
 *
 * The layout follows the graph, not element ids, so it keeps working after structural changes
 * of the same kinds; it fails loudly when an element could not be placed.
 */
public final class BpmnLayout {

  private static final double TASK_W = 100, TASK_W_MAX = 160, TASK_H = 80;
  private static final double EVENT = 36, GATEWAY = 50;
  private static final double GAP = 50; // between elements in a row
  private static final double SPLIT_GAP = 60; // after a split gateway, at least; grows with the condition label
  private static final double LANE_GAP = 30; // between lanes of a split
  private static final double LOOP_DY = 90; // loop-back elements below the centre line
  private static final double BOUNDARY_PATH_DY = 60; // host bottom to top of a boundary path
  private static final double BOUNDARY_X = 60; // boundary centre from the host's left edge
  private static final double BOUNDARY_STEP = 90;
  private static final double PAD_SIDE = 30, PAD_TOP = 40, PAD_BOTTOM = 25;
  private static final double EXTRA_START_DY = 110;
  private static final double LABEL_W = 90, LINE_H = 14, CHAR_W = 6.2;

  private final BpmnModelInstance model;
  private final Map<String, BpmnShape> shapes = new HashMap<>();
  private final Map<String, BpmnEdge> edges = new HashMap<>();
  /** Absolute bounds {x, y, w, h} and anchor y (where the centre line meets the element). */
  private final Map<FlowNode, double[]> placed = new HashMap<>();
  private final Set<FlowNode> visited = new HashSet<>();

  private BpmnLayout(BpmnModelInstance model) {
    this.model = model;
    for (BpmnShape s : model.getModelElementsByType(BpmnShape.class)) {
      shapes.put(s.getBpmnElement().getId(), s);
    }
    for (BpmnEdge e : model.getModelElementsByType(BpmnEdge.class)) {
      edges.put(e.getBpmnElement().getId(), e);
    }
  }

  /** Lays out every process of the model in place. */
  public static BpmnModelInstance apply(BpmnModelInstance model) {
    BpmnLayout layout = new BpmnLayout(model);
    double top = 60;
    for (Process process : model.getModelElementsByType(Process.class)) {
      Block block = layout.container(process);
      block.place(150, top + block.up);
      top += block.up + block.down + 100;
    }
    layout.writeDi();
    return model;
  }

  // ---------------------------------------------------------------- blocks

  /** A laid-out piece with its width and its extent above and below its centre line. */
  private abstract static class Block {
    double w, up, down;

    abstract void place(double x, double cy);

    abstract double firstWidth();
  }

  private final class NodeBlock extends Block {
    final FlowNode node;
    final double hostW, hostUp, hostDown;
    final Block inner; // embedded sub-process content
    final List<BoundaryEvent> boundaries = new ArrayList<>();
    final List<Block> boundaryPaths = new ArrayList<>();
    // several boundary paths on one host stack downwards, each below the previous one
    final List<Double> boundaryOffsets = new ArrayList<>();
    double nextBoundaryOffset = BOUNDARY_PATH_DY;
    final List<Block> tails = new ArrayList<>(); // ending branches of a gateway, below it
    final List<Double> tailOffsets = new ArrayList<>();

    NodeBlock(FlowNode node) {
      this.node = node;
      visited.add(node);
      if (node instanceof SubProcess sub) {
        inner = container(sub);
        hostW = inner.w + 2 * PAD_SIDE;
        hostUp = PAD_TOP + inner.up;
        hostDown = inner.down + PAD_BOTTOM;
      } else {
        inner = null;
        double[] size = size(node);
        hostW = size[0];
        double labelAbove = node instanceof Gateway ? labelHeight(node.getName()) + 4 : 0;
        double labelBelow = node instanceof Event ? labelHeight(node.getName()) + 4 : 0;
        hostUp = size[1] / 2 + labelAbove;
        hostDown = size[1] / 2 + labelBelow;
      }
      w = hostW;
      up = hostUp;
      down = hostDown;
      double hostBottom = node instanceof SubProcess ? hostDown : size(node)[1] / 2;
      for (BoundaryEvent b : boundaryEventsOf(node)) {
        visited.add(b);
        double bx = BOUNDARY_X + boundaries.size() * BOUNDARY_STEP;
        boundaries.add(b);
        Block path = b.getOutgoing().isEmpty() ? null : sequence(single(b).getTarget(), null);
        boundaryPaths.add(path);
        boundaryOffsets.add(nextBoundaryOffset);
        double labelBelow = labelHeight(b.getName()) + 4;
        down = Math.max(down, hostBottom + EVENT / 2 + labelBelow);
        if (path != null) {
          down = Math.max(down, hostBottom + nextBoundaryOffset + path.up + path.down);
          w = Math.max(w, bx - path.firstWidth() / 2 + path.w);
          nextBoundaryOffset += path.up + path.down + BOUNDARY_PATH_DY / 2;
        }
      }
    }

    /**
     * The ending branches of a gateway: a single one directly below it; several as lanes one
     * below the other, starting right of it (reached along the gateway's vertical line).
     */
    void addTails(List<Block> endings) {
      double hostBottom = size(node)[1] / 2;
      for (Block tail : endings) {
        double offset;
        if (endings.size() == 1) {
          offset = hostBottom + BOUNDARY_PATH_DY + tail.up;
          w = Math.max(w, hostW / 2 - tail.firstWidth() / 2 + tail.w);
        } else {
          offset = (tails.isEmpty() ? hostBottom + BOUNDARY_PATH_DY / 2 : down + LANE_GAP) + tail.up;
          w = Math.max(w, hostW + GAP + tail.w);
        }
        down = Math.max(down, offset + tail.down);
        tails.add(tail);
        tailOffsets.add(offset);
      }
    }

    @Override
    double firstWidth() {
      return hostW;
    }

    @Override
    void place(double x, double cy) {
      double hostH = node instanceof SubProcess ? hostUp + hostDown : size(node)[1];
      double y = node instanceof SubProcess ? cy - hostUp : cy - hostH / 2;
      placed.put(node, new double[] {x, y, hostW, hostH, cy});
      if (inner != null) {
        inner.place(x + PAD_SIDE, cy);
      }
      double bottom = y + hostH;
      for (int i = 0; i < boundaries.size(); i++) {
        double bcx = x + BOUNDARY_X + i * BOUNDARY_STEP;
        placed.put(boundaries.get(i), new double[] {bcx - EVENT / 2, bottom - EVENT / 2, EVENT, EVENT, bottom});
        Block path = boundaryPaths.get(i);
        if (path != null) {
          path.place(bcx - path.firstWidth() / 2, bottom + boundaryOffsets.get(i) + path.up);
        }
      }
      for (int i = 0; i < tails.size(); i++) {
        Block tail = tails.get(i);
        double tx = tails.size() == 1 ? x + hostW / 2 - tail.firstWidth() / 2 : x + hostW + GAP;
        tail.place(tx, cy + tailOffsets.get(i));
      }
    }
  }

  /** Elements in a row on one centre line, plus loop-back branches below it. */
  private final class SequenceBlock extends Block {
    final List<Block> items = new ArrayList<>();
    final List<FlowNode[]> loops = new ArrayList<>(); // {from, to, loop elements...}

    void add(Block b) {
      w += (items.isEmpty() ? 0 : GAP) + b.w;
      up = Math.max(up, b.up);
      down = Math.max(down, b.down);
      items.add(b);
    }

    void addLoop(FlowNode from, FlowNode to, List<FlowNode> chain) {
      FlowNode[] loop = new FlowNode[chain.size() + 2];
      loop[0] = from;
      loop[1] = to;
      for (int i = 0; i < chain.size(); i++) {
        loop[i + 2] = chain.get(i);
        visited.add(chain.get(i));
        double[] s = size(chain.get(i));
        down = Math.max(down, LOOP_DY + s[1] / 2 + (chain.get(i) instanceof Event ? labelHeight(chain.get(i).getName()) + 4 : 0));
      }
      loops.add(loop);
    }

    @Override
    double firstWidth() {
      return items.isEmpty() ? 0 : items.get(0).firstWidth();
    }

    @Override
    void place(double x, double cy) {
      double at = x;
      for (Block b : items) {
        b.place(at, cy);
        at += b.w + GAP;
      }
      for (FlowNode[] loop : loops) {
        double[] from = placed.get(loop[0]);
        double[] to = placed.get(loop[1]);
        double width = -GAP;
        for (int i = 2; i < loop.length; i++) {
          width += size(loop[i])[0] + GAP;
        }
        double fromCx = from[0] + from[2] / 2, toCx = to[0] + to[2] / 2;
        double right = (fromCx + toCx) / 2 + width / 2; // elements run right to left
        for (int i = 2; i < loop.length; i++) {
          double[] s = size(loop[i]);
          placed.put(loop[i], new double[] {right - s[0], cy + LOOP_DY - s[1] / 2, s[0], s[1], cy + LOOP_DY});
          right -= s[0] + GAP;
        }
      }
    }
  }

  /**
   * A split gateway and its branches as lanes one below the other, up to the join gateway (which
   * the row places next, so it may split again); ending branches are the lowest lanes.
   */
  private final class SplitBlock extends Block {
    final NodeBlock split;
    final List<Block> branches;
    final double[] offsets;
    final double branchW;
    final double splitGap;

    SplitBlock(NodeBlock split, List<Block> branches, String firstCondition) {
      double label = firstCondition == null || firstCondition.isBlank() ? 0 : labelWidth(firstCondition);
      splitGap = Math.max(SPLIT_GAP, label + 20);
      this.split = split;
      this.branches = branches;
      offsets = new double[branches.size()];
      double maxW = 0;
      for (int i = 0; i < branches.size(); i++) {
        Block b = branches.get(i);
        maxW = Math.max(maxW, b.w);
        if (i > 0) {
          Block prev = branches.get(i - 1);
          offsets[i] = offsets[i - 1] + prev.down + LANE_GAP + b.up;
        }
      }
      branchW = maxW;
      w = split.w + splitGap + branchW;
      up = Math.max(split.up, branches.get(0).up);
      Block last = branches.get(branches.size() - 1);
      down = Math.max(split.down, offsets[branches.size() - 1] + last.down);
    }

    @Override
    double firstWidth() {
      return split.w;
    }

    @Override
    void place(double x, double cy) {
      split.place(x, cy);
      double bx = x + split.w + splitGap;
      for (int i = 0; i < branches.size(); i++) {
        Block b = branches.get(i);
        double dx = b instanceof NodeBlock ? (branchW - b.w) / 2 : 0;
        b.place(bx + dx, cy + offsets[i]);
      }
    }
  }

  /** Further start events, each below the previous one, beside the container's main flow. */
  private final class ContainerBlock extends Block {
    final Block main;
    final List<FlowNode> extraStarts;

    ContainerBlock(Block main, List<FlowNode> extraStarts) {
      this.main = main;
      this.extraStarts = extraStarts;
      w = main.w;
      up = main.up;
      down = main.down;
      for (int i = 0; i < extraStarts.size(); i++) {
        visited.add(extraStarts.get(i));
        down = Math.max(down, (i + 1) * EXTRA_START_DY + EVENT / 2 + labelHeight(extraStarts.get(i).getName()) + 4);
      }
    }

    @Override
    double firstWidth() {
      return main.firstWidth();
    }

    @Override
    void place(double x, double cy) {
      main.place(x, cy);
      for (int i = 0; i < extraStarts.size(); i++) {
        double ecy = cy + (i + 1) * EXTRA_START_DY;
        placed.put(extraStarts.get(i), new double[] {x, ecy - EVENT / 2, EVENT, EVENT, ecy});
      }
    }
  }

  /** A container's flow with its event sub-processes stacked below it, left-aligned. */
  private static final class BelowBlock extends Block {
    final Block main;
    final List<Block> below;

    BelowBlock(Block main, List<Block> below) {
      this.main = main;
      this.below = below;
      w = main.w;
      up = main.up;
      down = main.down;
      for (Block b : below) {
        w = Math.max(w, b.w);
        down += EXTRA_START_DY / 2 + b.up + b.down;
      }
    }

    @Override
    double firstWidth() {
      return main.firstWidth();
    }

    @Override
    void place(double x, double cy) {
      main.place(x, cy);
      double y = cy + main.down;
      for (Block b : below) {
        y += EXTRA_START_DY / 2 + b.up;
        b.place(x, y);
        y += b.down;
      }
    }
  }

  // ------------------------------------------------------------- building

  private Block container(BaseElement container) {
    List<FlowNode> starts = new ArrayList<>();
    for (StartEvent s : container.getChildElementsByType(StartEvent.class)) {
      starts.add(s);
    }
    if (starts.isEmpty()) {
      throw new IllegalStateException("no start event in " + container.getId());
    }
    Block main = sequence(starts.get(0), null);
    // a further start either joins the main row (drawn below its first element) or begins a flow
    // of its own (drawn as a row below), e.g. the schedule process's backup and retention timers
    List<FlowNode> joining = new ArrayList<>();
    List<Block> below = new ArrayList<>();
    for (FlowNode start : starts.subList(1, starts.size())) {
      boolean joins = start.getOutgoing().stream().allMatch(flow -> visited.contains(flow.getTarget()));
      if (joins) {
        joining.add(start);
      } else {
        below.add(sequence(start, null));
      }
    }
    Block block = new ContainerBlock(main, joining);
    for (SubProcess sub : container.getChildElementsByType(SubProcess.class)) {
      if (sub.triggeredByEvent()) {
        below.add(new NodeBlock(sub));
      }
    }
    if (!below.isEmpty()) {
      block = new BelowBlock(block, below);
    }
    for (FlowNode n : container.getChildElementsByType(FlowNode.class)) {
      if (!visited.contains(n)) {
        throw new IllegalStateException("layout cannot place " + n.getId() + " in " + container.getId());
      }
    }
    return block;
  }

  /** The row from {@code first} up to (not including) {@code stop}, or to its end. */
  private Block sequence(FlowNode first, FlowNode stop) {
    SequenceBlock row = new SequenceBlock();
    FlowNode n = first;
    FlowNode joined = null;
    while (n != null && n != stop) {
      if (visited.contains(n)) {
        throw new IllegalStateException("unexpected cycle through " + n.getId());
      }
      NodeBlock block = new NodeBlock(n);
      List<SequenceFlow> forward = new ArrayList<>();
      for (SequenceFlow f : outgoing(n)) {
        List<FlowNode> chain = loopChain(f);
        if (chain != null) {
          row.addLoop(n, loopTarget(chain), chain.subList(0, chain.size() - 1));
        } else {
          forward.add(f);
        }
      }
      if (forward.size() <= 1) {
        row.add(block);
        n = forward.isEmpty() ? null : forward.get(0).getTarget();
        continue;
      }
      if (n == joined) { // its lower branches would leave where the joining ones arrive
        throw new IllegalStateException("join " + n.getId() + " splits again; not supported");
      }
      List<SequenceFlow> going = new ArrayList<>(), ending = new ArrayList<>();
      for (SequenceFlow f : forward) {
        (endsAlone(f, forward, stop) ? ending : going).add(f);
      }
      if (going.isEmpty()) { // no branch joins another: the first goes on, the others end
        going.add(ending.remove(0));
      }
      if (going.size() == 1) {
        List<Block> tails = new ArrayList<>();
        for (SequenceFlow f : ending) {
          tails.add(sequence(f.getTarget(), null));
        }
        block.addTails(tails);
        row.add(block);
        n = going.get(0).getTarget();
        continue;
      }
      FlowNode join = findJoin(going);
      // A branch straight to the join can only be drawn as the centre lane.
      going.sort(Comparator.comparing((SequenceFlow f) -> f.getTarget() != join));
      if (going.size() > 1 && going.get(1).getTarget() == join) {
        throw new IllegalStateException("two flows from " + n.getId() + " straight to " + join.getId());
      }
      List<Block> branches = new ArrayList<>();
      for (SequenceFlow f : going) {
        branches.add(sequence(f.getTarget(), join));
      }
      for (SequenceFlow f : ending) {
        branches.add(sequence(f.getTarget(), null));
      }
      row.add(new SplitBlock(block, branches, going.get(0).getName()));
      n = join; // the row goes on with the join
      joined = join;
    }
    return row;
  }

  /**
   * Whether a branch ends on its own: nothing it reaches is reached by another branch of the
   * same split, nor is it the element the enclosing branch stops at.
   */
  private boolean endsAlone(SequenceFlow branch, List<SequenceFlow> all, FlowNode stop) {
    Set<FlowNode> reach = reachable(branch.getTarget());
    if (stop != null && reach.contains(stop)) {
      return false;
    }
    for (SequenceFlow other : all) {
      if (other != branch && reachable(other.getTarget()).stream().anyMatch(reach::contains)) {
        return false;
      }
    }
    return true;
  }

  private static FlowNode loopTarget(List<FlowNode> chain) {
    return chain.get(chain.size() - 1);
  }

  /**
   * The elements of a branch that returns to an element already laid out, ending with that
   * element; null for a branch that goes on forward.
   */
  private List<FlowNode> loopChain(SequenceFlow f) {
    List<FlowNode> chain = new ArrayList<>();
    FlowNode n = f.getTarget();
    while (true) {
      chain.add(n);
      if (visited.contains(n)) {
        return chain;
      }
      List<SequenceFlow> out = outgoing(n);
      if (out.size() != 1 || chain.size() > 20) {
        return null;
      }
      n = out.get(0).getTarget();
    }
  }

  /** The first element, in order along the first branch, that every branch reaches. */
  private FlowNode findJoin(List<SequenceFlow> branches) {
    List<Set<FlowNode>> reach = new ArrayList<>();
    for (SequenceFlow f : branches) {
      reach.add(reachable(f.getTarget()));
    }
    for (FlowNode n : reach.get(0)) {
      if (reach.stream().allMatch(r -> r.contains(n))) {
        return n;
      }
    }
    throw new IllegalStateException("branches of " + branches.get(0).getSource().getId() + " never join");
  }

  private Set<FlowNode> reachable(FlowNode from) {
    Set<FlowNode> seen = new LinkedHashSet<>();
    List<FlowNode> queue = new ArrayList<>(List.of(from));
    for (int i = 0; i < queue.size(); i++) {
      FlowNode n = queue.get(i);
      if (seen.add(n)) {
        for (SequenceFlow f : outgoing(n)) {
          queue.add(f.getTarget());
        }
      }
    }
    return seen;
  }

  /** Outgoing flows in document order, the default flow last. */
  private static List<SequenceFlow> outgoing(FlowNode n) {
    List<SequenceFlow> out = new ArrayList<>(n.getOutgoing());
    SequenceFlow dflt = n instanceof ExclusiveGateway g ? g.getDefault() : null;
    out.sort(Comparator.comparing((SequenceFlow f) -> f == dflt));
    return out;
  }

  private static SequenceFlow single(FlowNode n) {
    if (n.getOutgoing().size() != 1) {
      throw new IllegalStateException(n.getId() + " needs exactly one outgoing flow");
    }
    return n.getOutgoing().iterator().next();
  }

  private List<BoundaryEvent> boundaryEventsOf(FlowNode node) {
    List<BoundaryEvent> result = new ArrayList<>();
    if (node instanceof Activity) {
      for (BoundaryEvent b : model.getModelElementsByType(BoundaryEvent.class)) {
        if (b.getAttachedTo() == node) {
          result.add(b);
        }
      }
    }
    return result;
  }

  private static double[] size(FlowNode n) {
    if (n instanceof Event) {
      return new double[] {EVENT, EVENT};
    }
    if (n instanceof Gateway) {
      return new double[] {GATEWAY, GATEWAY};
    }
    // Wide enough for the name in two lines, so the text clears the task-type icon.
    double w = TASK_W;
    while (w < TASK_W_MAX && lines(n.getName(), w - 16) > 2) {
      w += 10;
    }
    return new double[] {w, TASK_H};
  }

  private static int lines(String text) {
    return lines(text, LABEL_W);
  }

  private static int lines(String text, double width) {
    if (text == null || text.isBlank()) {
      return 0;
    }
    int lines = 1;
    double line = 0;
    for (String word : text.split(" ")) {
      double ww = word.length() * CHAR_W;
      if (line > 0 && line + CHAR_W + ww > width) {
        lines++;
        line = ww;
      } else {
        line += (line > 0 ? CHAR_W : 0) + ww;
      }
    }
    return lines;
  }

  /** Width of a one-line flow label, capped at the label width (then it wraps). */
  private static double labelWidth(String text) {
    return Math.min(LABEL_W, text.length() * CHAR_W + 6);
  }

  private static double labelHeight(String text) {
    return lines(text) * LINE_H;
  }

  // ---------------------------------------------------------------- DI

  private void writeDi() {
    for (var entry : shapes.entrySet()) {
      ModelElementInstance element = model.getModelElementById(entry.getKey());
      if (!(element instanceof FlowNode node)) {
        continue;
      }
      double[] p = placed.get(node);
      if (p == null) {
        throw new IllegalStateException("layout did not place " + node.getId());
      }
      BpmnShape shape = entry.getValue();
      setBounds(shape.getBounds(), p[0], p[1], p[2], p[3]);
      if (node instanceof SubProcess) {
        shape.setExpanded(true);
      }
      if (shape.getBpmnLabel() != null) {
        shape.removeChildElement(shape.getBpmnLabel());
      }
      String name = node.getName();
      if (name != null && !name.isBlank() && (node instanceof Event || node instanceof Gateway)) {
        double h = labelHeight(name);
        double cx = p[0] + p[2] / 2;
        if (node instanceof BoundaryEvent) {
          shape.setBpmnLabel(label(p[0] + p[2] + 4, p[4] + 4, LABEL_W, h));
        } else if (node instanceof Gateway) {
          shape.setBpmnLabel(label(cx - LABEL_W / 2, p[1] - 4 - h, LABEL_W, h));
        } else {
          shape.setBpmnLabel(label(cx - LABEL_W / 2, p[1] + p[3] + 4, LABEL_W, h));
        }
      }
    }
    for (var entry : edges.entrySet()) {
      if (!(model.getModelElementById(entry.getKey()) instanceof SequenceFlow flow)) {
        continue;
      }
      List<double[]> points = route(flow);
      BpmnEdge edge = entry.getValue();
      new ArrayList<>(edge.getWaypoints()).forEach(edge::removeChildElement);
      for (double[] pt : points) {
        Waypoint wp = model.newInstance(Waypoint.class);
        wp.setX(Math.round(pt[0]));
        wp.setY(Math.round(pt[1]));
        edge.addChildElement(wp);
      }
      if (edge.getBpmnLabel() != null) {
        edge.removeChildElement(edge.getBpmnLabel());
      }
      String name = flow.getName();
      if (name != null && !name.isBlank()) {
        double[] a = points.get(0), b = points.get(1);
        double w = labelWidth(name);
        double h = labelHeight(name);
        if (a[1] == b[1]) {
          edge.setBpmnLabel(label(a[0] + 6, a[1] - h - 3, w, h));
        } else if (points.size() > 2 && sharesVerticalStart(flow, points)) {
          // several named branches leave down the same line: each label above its own lane
          edge.setBpmnLabel(label(b[0] + 6, b[1] - h - 3, w, h));
        } else {
          edge.setBpmnLabel(label(a[0] + 6, a[1] + 4, w, h));
        }
      }
    }
  }

  /** Whether another named flow leaves the same source down the same vertical line. */
  private boolean sharesVerticalStart(SequenceFlow flow, List<double[]> points) {
    double[] a = points.get(0);
    for (SequenceFlow other : flow.getSource().getOutgoing()) {
      if (other != flow && other.getName() != null && !other.getName().isBlank()) {
        List<double[]> o = route(other);
        if (o.size() > 2 && o.get(0)[0] == a[0] && o.get(0)[1] == a[1] && o.get(1)[0] == a[0]) {
          return true;
        }
      }
    }
    return false;
  }

  private List<double[]> route(SequenceFlow flow) {
    FlowNode s = flow.getSource(), t = flow.getTarget();
    double[] a = placed.get(s), b = placed.get(t);
    double sx = a[0], sw = a[2], sTop = a[1], sBottom = a[1] + a[3], sy = a[4], scx = sx + sw / 2;
    double tx = b[0], tw = b[2], tTop = b[1], tBottom = b[1] + b[3], ty = b[4], tcx = tx + tw / 2;
    List<double[]> pts = new ArrayList<>();
    if (s instanceof BoundaryEvent) {
      pts.add(new double[] {scx, sBottom});
      if (Math.abs(tcx - scx) < 0.5) {
        pts.add(new double[] {tcx, tTop});
      } else {
        pts.add(new double[] {scx, ty});
        pts.add(new double[] {tx, ty});
      }
    } else if (s instanceof Gateway && Math.abs(tcx - scx) < 0.5 && tTop > sBottom) { // ending branch below
      pts.add(new double[] {scx, sBottom});
      pts.add(new double[] {tcx, tTop});
    } else if (tx >= sx + sw) {
      if (Math.abs(sy - ty) < 0.5) {
        pts.add(new double[] {sx + sw, sy});
        pts.add(new double[] {tx, ty});
      } else if (t instanceof Gateway && t.getIncoming().size() > 1 && sy > ty) { // up into a join
        pts.add(new double[] {sx + sw, sy});
        pts.add(new double[] {tcx, sy});
        pts.add(new double[] {tcx, tBottom});
      } else if (s instanceof Gateway && s.getOutgoing().size() > 1) {
        pts.add(new double[] {scx, ty > sy ? sBottom : sTop});
        pts.add(new double[] {scx, ty});
        pts.add(new double[] {tx, ty});
      } else if (t instanceof Gateway && t.getIncoming().size() > 1) {
        pts.add(new double[] {sx + sw, sy});
        pts.add(new double[] {tcx, sy});
        pts.add(new double[] {tcx, sy > ty ? tBottom : tTop});
      } else {
        double mx = (sx + sw + tx) / 2;
        pts.add(new double[] {sx + sw, sy});
        pts.add(new double[] {mx, sy});
        pts.add(new double[] {mx, ty});
        pts.add(new double[] {tx, ty});
      }
    } else if (ty > sy) { // back and down: into a loop
      pts.add(new double[] {scx, sBottom});
      pts.add(new double[] {scx, ty});
      pts.add(new double[] {tx + tw, ty});
    } else { // back and up: out of a loop
      pts.add(new double[] {sx, sy});
      pts.add(new double[] {tcx, sy});
      pts.add(new double[] {tcx, tBottom});
    }
    return pts;
  }

  private BpmnLabel label(double x, double y, double w, double h) {
    BpmnLabel label = model.newInstance(BpmnLabel.class);
    Bounds bounds = model.newInstance(Bounds.class);
    setBounds(bounds, x, y, w, h);
    label.setBounds(bounds);
    return label;
  }

  private static void setBounds(Bounds bounds, double x, double y, double w, double h) {
    bounds.setX(Math.round(x));
    bounds.setY(Math.round(y));
    bounds.setWidth(Math.round(w));
    bounds.setHeight(Math.round(h));
  }
}
