"""The browser side of a live figure: its picture with alt text, a text line a screen reader
announces, and accessible names for the controls beside it.

ipywidgets (8.1) cannot say these things: its Image has no alt; its HTML widget replaces its
content on every change, so a live region inside it is new each time and is not announced; and its
sliders (noUiSlider handles) carry no name (the description is a <label> tied to nothing) and a
SelectionSlider reports its index as aria-valuetext ("6", not the rate 0.22). So the picture is drawn
by a small anywidget view, `LiveView`, and the same view, once it sits in the LiveFigure's box,
names the controls in the row above it:
- each slider handle gets aria-label (the control's description, else its name) and an
  aria-valuetext equal to the readout the learner sees ("0.22"), kept equal as the slider moves;
  its readout, an editable field, gets a name too;
- a dropdown's <select> and a group of toggle buttons get aria-label (toggle buttons also
  aria-pressed), a button without text its description;
- Escape on a control hands the focus back to the notebook cell (jupyter-widgets/ipywidgets#3179:
  a slider keeps the focus, so JupyterLab's command-mode keys do not work until Tab moves on);
- the box gets role="group" named by the figure's title.
The picture travels as binary bytes, as an ipywidgets Image's do, and shows through an object URL.
"""

import anywidget
import traitlets

ESM = """
function nameControls(row, labels) {
    Array.from(row.children).forEach((control, index) => {
        const label = labels[index];
        if (!label) return;
        const set = (node, name, value) => {
            if (node && node.getAttribute(name) !== value) node.setAttribute(name, value);
        };
        control.querySelectorAll('.noUi-handle').forEach((handle) => {
            set(handle, 'aria-label', label);
            const readout = control.querySelector('.widget-readout');
            if (readout && readout.textContent.trim()) set(handle, 'aria-valuetext', readout.textContent.trim());
        });
        control.querySelectorAll('.widget-readout').forEach((readout) => {
            set(readout, 'role', 'textbox');
            set(readout, 'aria-label', label + ' value');
        });
        control.querySelectorAll('select').forEach((select) => set(select, 'aria-label', label));
        const group = control.classList.contains('widget-toggle-buttons') ? control : null;
        if (group) {
            set(group, 'role', 'group');
            set(group, 'aria-label', label);
            group.querySelectorAll('button').forEach((button) =>
                set(button, 'aria-pressed', button.classList.contains('mod-active') ? 'true' : 'false'));
        } else {
            control.querySelectorAll('button').forEach((button) => {
                if (!button.textContent.trim()) set(button, 'aria-label', label);
            });
        }
    });
}

function watchBox(el, model) {
    const box = el.parentElement;
    if (!box || !box.firstElementChild || box.firstElementChild === el) return null;
    const row = box.firstElementChild;
    const apply = () => {
        nameControls(row, model.get('control_labels'));
        if (box.getAttribute('role') !== 'group') box.setAttribute('role', 'group');
        if (box.getAttribute('aria-label') !== model.get('title')) box.setAttribute('aria-label', model.get('title'));
    };
    apply();
    const observer = new MutationObserver(apply);
    observer.observe(row, {subtree: true, childList: true, characterData: true, attributes: true,
                           attributeFilter: ['aria-valuetext', 'class']});
    const escape = (event) => {
        if (event.key !== 'Escape') return;
        const cell = el.closest('.jp-Cell');
        if (document.activeElement && row.contains(document.activeElement)) document.activeElement.blur();
        if (cell) cell.focus();
    };
    row.addEventListener('keydown', escape);
    return () => { observer.disconnect(); row.removeEventListener('keydown', escape); };
}

function render({ model, el }) {
    el.classList.add('course-live-view');
    const img = document.createElement('img');
    img.className = 'course-live-image';
    const line = document.createElement('p');
    line.className = 'course-live-text';
    line.setAttribute('aria-live', 'polite');
    el.append(img, line);
    let url = null;
    const picture = () => {
        const value = model.get('value');
        if (!value || !value.byteLength) return;
        const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
        const next = URL.createObjectURL(new Blob([bytes], {type: 'image/png'}));
        img.src = next;
        if (url) URL.revokeObjectURL(url);
        url = next;
    };
    const text = () => {
        img.alt = model.get('description');
        line.textContent = model.get('description');
    };
    model.on('change:value', picture);
    model.on('change:description', text);
    picture();
    text();
    // The box adds this view before it is in the page: wait until it is, then name the controls.
    let stop = null;
    let frames = 0;
    const attach = () => {
        stop = watchBox(el, model);
        if (!stop && frames++ < 600) requestAnimationFrame(attach);
    };
    attach();
    return () => {
        if (stop) stop();
        if (url) URL.revokeObjectURL(url);
    };
}

export default { render };
"""

CSS = """
.course-live-view { display: flex; flex-direction: column; max-width: 100%; }
.course-live-image { width: auto; max-width: 100%; align-self: flex-start; }
.course-live-text { margin: 4px 0; color: var(--jp-content-font-color1, #000); }
"""


class LiveView(anywidget.AnyWidget):
    """The picture of a live figure (PNG bytes in `value`), its alt text and announced text line
    (`description`), and the names of the controls in the row above it (`control_labels`, in order)."""

    _esm = ESM
    _css = CSS
    value = traitlets.Bytes(b"").tag(sync=True)
    description = traitlets.Unicode("").tag(sync=True)
    title = traitlets.Unicode("").tag(sync=True)
    control_labels = traitlets.List(traitlets.Unicode()).tag(sync=True)
