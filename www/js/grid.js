// The population as a canvas grid: one square per user, coloured by category; users let in or
// dropped out since the previous step are painted in the highlight colours. Pointer and
// keyboard (arrows, Home/End, Enter) pick a user.
import { JOINED, LEFT } from './decisions.js';

const BACKGROUND = '#FFFFFF';
const CURSOR = '#1F2328';

export function createGrid(canvas, { count, onPick }) {
  const columns = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / columns);
  let cursor = 0;
  let frame = { colours: [], category: new Uint8Array(count), change: new Uint8Array(count) };

  function layout() {
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || columns * 4;
    const cell = width / columns;
    canvas.style.height = `${rows * cell}px`;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(rows * cell * ratio);
    return { ratio, cell: cell * ratio };
  }

  function draw() {
    const { cell } = layout();
    const context = canvas.getContext('2d');
    context.fillStyle = BACKGROUND;
    context.fillRect(0, 0, canvas.width, canvas.height);
    // Gaps between squares once they are big enough to spare a pixel.
    const gap = cell >= 5 ? 1 : 0;
    const paint = (i, colour) => {
      context.fillStyle = colour;
      const x = (i % columns) * cell;
      const y = Math.floor(i / columns) * cell;
      context.fillRect(Math.round(x), Math.round(y), Math.max(1, Math.round(x + cell) - Math.round(x) - gap), Math.max(1, Math.round(y + cell) - Math.round(y) - gap));
    };
    for (let i = 0; i < count; i++) {
      const change = frame.change[i];
      paint(i, change === 1 ? JOINED : change === 2 ? LEFT : frame.colours[frame.category[i]]);
    }
    outline(context, cell);
  }

  // The selected user is always outlined; thicker while the grid has keyboard focus.
  function outline(context, cell) {
    const focused = document.activeElement === canvas;
    context.strokeStyle = CURSOR;
    context.lineWidth = Math.max(focused ? 2 : 1.5, cell / (focused ? 3 : 5));
    const half = context.lineWidth / 2;
    // Kept inside the canvas so the outline of an edge user is not cut off.
    const x = Math.max(half, (cursor % columns) * cell - half);
    const y = Math.max(half, Math.floor(cursor / columns) * cell - half);
    const right = Math.min(canvas.width - half, ((cursor % columns) + 1) * cell + half);
    const bottom = Math.min(canvas.height - half, (Math.floor(cursor / columns) + 1) * cell + half);
    context.strokeRect(x, y, right - x, bottom - y);
  }

  function pick(index) {
    cursor = index;
    draw();
    onPick(index);
  }

  canvas.addEventListener('click', (event) => {
    const box = canvas.getBoundingClientRect();
    const cell = box.width / columns;
    const column = Math.min(columns - 1, Math.floor((event.clientX - box.left) / cell));
    const row = Math.floor((event.clientY - box.top) / cell);
    const index = row * columns + column;
    if (column >= 0 && row >= 0 && index < count) pick(index);
  });

  const moves = {
    ArrowLeft: -1, ArrowRight: 1, ArrowUp: -columns, ArrowDown: columns,
    Home: -Infinity, End: Infinity, PageUp: -columns * 10, PageDown: columns * 10,
  };
  canvas.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      pick(cursor);
    } else if (event.key in moves) {
      event.preventDefault();
      cursor = Math.min(count - 1, Math.max(0, cursor + moves[event.key]));
      draw();
      canvas.setAttribute('aria-label', `User ${cursor + 1} of ${count} selected; press Enter to explain`);
    }
  });
  canvas.addEventListener('focus', draw);
  canvas.addEventListener('blur', draw);
  new ResizeObserver(() => draw()).observe(canvas);

  return {
    /** Paints one step: `category` per user, category `colours`, `change` per user. */
    show(next) {
      frame = next;
      draw();
    },
    /** Moves the keyboard cursor to a user without explaining it. */
    focusUser(index) {
      cursor = index;
      draw();
    },
  };
}
