#version 330 core
// Training points as point sprites: each carries its position, label and state (the
// render_point struct as it lies in memory) and picks its fill and ring colours here.

// Inputs: one training point.
layout(location = 0) in vec2 a_pos;
layout(location = 1) in float a_label;
layout(location = 2) in float a_state;

// Uniforms: the view projection, the sprite size in pixels and the class colours.
uniform mat4 u_proj;
uniform float u_size;
uniform vec4 u_inside;
uniform vec4 u_outside;

// Outputs: the fill, the ring's colour and the ring's width in pixels.
flat out vec4 v_fill;
flat out vec4 v_ring;
flat out float v_ring_px;

// A misclassified point wears a thick ring of this red, seen on either class colour.
const vec4 MISS_RED = vec4(0.95, 0.15, 0.15, 1.0);

void main() {
    gl_Position = u_proj * vec4(a_pos, 0.0, 1.0);
    gl_PointSize = u_size;
    bool inside = a_label >= 0.5;
    v_fill = inside ? u_inside : u_outside;
    // The outline takes the other class's colour, so a point shows on a field of its own.
    if (a_state >= 0.5) {
        v_ring = MISS_RED;
        v_ring_px = max(3.0, 0.3 * u_size);
    } else {
        v_ring = inside ? u_outside : u_inside;
        v_ring_px = 1.5;
    }
}
