#version 330 core
// One triangle that covers the whole viewport, made from gl_VertexID without a vertex
// buffer; it hands each fragment its world position so field.frag can look up the grid.

// Uniforms: clip space back to world space (the inverse of an orthographic projection,
// so linear interpolation of the world position is exact).
uniform mat4 u_clip_to_world;

// Outputs: the world position of the fragment.
out vec2 v_world;

void main() {
    // Vertices (-1, -1), (3, -1), (-1, 3): the clip square is inside this triangle.
    vec2 clip = vec2(float((gl_VertexID & 1) * 4 - 1), float((gl_VertexID & 2) * 2 - 1));
    gl_Position = vec4(clip, 0.0, 1.0);
    v_world = (u_clip_to_world * vec4(clip, 0.0, 1.0)).xy;
}
