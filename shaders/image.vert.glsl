#version 330 core
// A pixel-aligned image quad made from gl_VertexID (a four-vertex triangle strip) with
// its top-left corner given in pixels from the framebuffer's top-left.

// Uniforms: the framebuffer size and the image's rectangle (x, y, width, height) in pixels.
uniform vec2 u_fb_size;
uniform vec4 u_rect;

// Outputs: the texture coordinate; the texture's first row is the image's top row.
out vec2 v_uv;

void main() {
    vec2 corner = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1));
    vec2 px = u_rect.xy + corner * u_rect.zw;
    gl_Position = vec4(2.0 * px.x / u_fb_size.x - 1.0, 1.0 - 2.0 * px.y / u_fb_size.y,
                       0.0, 1.0);
    v_uv = corner;
}
