#version 330 core
// Round training points: fill, ring and outer edge are each blended over about one pixel
// by distance from the sprite's centre, so the sprite needs alpha blending.

// Inputs: the colours and ring width chosen in points.vert.
flat in vec4 v_fill;
flat in vec4 v_ring;
flat in float v_ring_px;

// Uniforms: the sprite size in pixels (the same as gl_PointSize).
uniform float u_size;

// Outputs: straight (not premultiplied) alpha.
out vec4 o_color;

void main() {
    float radius = 0.5 * u_size;
    float d = length(gl_PointCoord - 0.5) * u_size;
    float coverage = clamp(radius - d + 0.5, 0.0, 1.0);
    if (coverage <= 0.0) {
        discard;
    }
    float ring = clamp(d - (radius - v_ring_px) + 0.5, 0.0, 1.0);
    vec4 color = mix(v_fill, v_ring, ring);
    o_color = vec4(color.rgb, color.a * coverage);
}
