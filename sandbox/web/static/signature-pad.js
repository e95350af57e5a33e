// A signature pad on a <canvas>: pointer down/move/up draws strokes (mouse, pen or touch).
// Exported as a PNG data URL, which the consent page encrypts with the answers.

const MIN_POINTS = 2;

export class SignaturePad {
  #canvas;
  #ctx;
  #drawing = false;
  #points = 0;
  #onChange;

  constructor(canvas, onChange) {
    this.#canvas = canvas;
    this.#ctx = canvas.getContext('2d');
    this.#onChange = onChange;
    this.clear();
    canvas.addEventListener('pointerdown', (e) => this.#start(e));
    canvas.addEventListener('pointermove', (e) => this.#move(e));
    for (const type of ['pointerup', 'pointercancel', 'pointerleave']) canvas.addEventListener(type, () => this.#end());
  }

  /** True once a stroke with some movement was drawn. */
  get captured() {
    return this.#points >= MIN_POINTS;
  }

  clear() {
    const ctx = this.#ctx;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, this.#canvas.width, this.#canvas.height);
    ctx.strokeStyle = '#111827';
    ctx.lineWidth = 2.5;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    this.#points = 0;
    this.#onChange?.(false);
  }

  toDataURL() {
    return this.#canvas.toDataURL('image/png');
  }

  // Client coordinates to canvas pixels (the canvas is scaled by CSS).
  #at(e) {
    const r = this.#canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * this.#canvas.width) / r.width, ((e.clientY - r.top) * this.#canvas.height) / r.height];
  }

  #start(e) {
    e.preventDefault();
    this.#canvas.setPointerCapture?.(e.pointerId);
    this.#drawing = true;
    const [x, y] = this.#at(e);
    this.#ctx.beginPath();
    this.#ctx.moveTo(x, y);
  }

  #move(e) {
    if (!this.#drawing) return;
    const [x, y] = this.#at(e);
    this.#ctx.lineTo(x, y);
    this.#ctx.stroke();
    this.#points += 1;
  }

  #end() {
    if (!this.#drawing) return;
    this.#drawing = false;
    this.#onChange?.(this.captured);
  }
}
